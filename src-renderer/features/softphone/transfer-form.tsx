import { useId, useState } from 'react';
import type { TransferMode, TransferTarget } from './softphone-port';

export interface TransferOption {
  id: string;
  name: string;
}

/**
 * Cold transfer (the call goes straight on) to a queue or a colleague, or warm (the caller waits on hold while the
 * handler talks to the colleague or queue first, then completes or cancels).
 */
export function TransferForm(props: {
  id: string;
  queues: TransferOption[];
  colleagues: TransferOption[];
  busy: boolean;
  onTransfer: (target: TransferTarget, mode: TransferMode) => void;
}) {
  const base = useId();
  const [kind, setKind] = useState<'queue' | 'handler'>('queue');
  const [mode, setMode] = useState<TransferMode>('cold');
  const options = kind === 'queue' ? props.queues : props.colleagues;
  const [chosen, setChosen] = useState('');
  const targetId = options.some((o) => o.id === chosen) ? chosen : '';
  const problem = targetId ? null : kind === 'queue' ? 'Choose a queue.' : options.length === 0 ? 'No colleague is available right now.' : 'Choose a colleague.';
  return (
    <form
      id={props.id}
      className="transfer-form"
      aria-label="Transfer the call"
      onSubmit={(event) => {
        event.preventDefault();
        if (!targetId) return;
        props.onTransfer(kind === 'queue' ? { kind: 'queue', queueId: targetId } : { kind: 'handler', handlerId: targetId }, mode);
      }}
    >
      <fieldset>
        <legend>Transfer to</legend>
        <label>
          <input type="radio" name={`${base}-kind`} checked={kind === 'queue'} onChange={() => setKind('queue')} /> A queue
        </label>
        <label>
          <input type="radio" name={`${base}-kind`} checked={kind === 'handler'} onChange={() => setKind('handler')} /> A colleague
        </label>
      </fieldset>
      <label htmlFor={`${base}-target`}>{kind === 'queue' ? 'Queue' : 'Colleague'}</label>
      <select id={`${base}-target`} value={targetId} onChange={(event) => setChosen(event.target.value)}>
        <option value="">Choose…</option>
        {options.map((option) => (
          <option key={option.id} value={option.id}>
            {option.name}
          </option>
        ))}
      </select>
      <fieldset>
        <legend>How</legend>
        <label>
          <input type="radio" name={`${base}-mode`} checked={mode === 'cold'} onChange={() => setMode('cold')} /> Transfer now (cold)
        </label>
        <label>
          <input type="radio" name={`${base}-mode`} checked={mode === 'warm'} onChange={() => setMode('warm')} /> Talk to them first (warm)
        </label>
      </fieldset>
      <button type="submit" className="button" disabled={props.busy || !targetId} aria-describedby={problem ? `${base}-problem` : undefined}>
        {mode === 'cold' ? 'Transfer' : 'Start consult'}
      </button>
      {problem && (
        <p id={`${base}-problem`} className="hint">
          {problem}
        </p>
      )}
    </form>
  );
}
