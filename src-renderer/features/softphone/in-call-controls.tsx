import { CallerScript } from './caller-script';
import { useId, useState } from 'react';
import { formatPhoneNumber } from '../../../src-shared/domain/phone-number';
import type { Call } from '../../../src-shared/telephony/model';
import { useShortcuts } from '../../components/use-shortcuts';
import { Keypad } from './keypad';
import type { TransferMode, TransferTarget } from './softphone-port';
import { heldMs, type Consult } from './softphone-store';
import { formatElapsed } from './timing';
import { TransferForm, type TransferOption } from './transfer-form';

export const MUTE_SHORTCUT = 'Alt+KeyM';
export const HOLD_SHORTCUT = 'Alt+KeyH';

export function describeTransferTarget(target: TransferTarget, queues: TransferOption[], colleagues: TransferOption[]): string {
  if (target.kind === 'queue') return `the ${queues.find((q) => q.id === target.queueId)?.name ?? target.queueId} queue`;
  return colleagues.find((c) => c.id === target.handlerId)?.name ?? 'a colleague';
}

/**
 * The controls of a live call: timer, mute, hold with the time held, keypad, transfer and hang up. Mute and hold
 * also answer to Alt+M and Alt+H.
 */
export function InCallControls(props: {
  call: Call;
  queueName: string | null;
  now: number;
  muted: boolean;
  consult: Consult | null;
  digitsSent: string;
  /** A command is on its way: controls wait for it. */
  busy: boolean;
  queues: TransferOption[];
  colleagues: TransferOption[];
  onMute: () => void;
  onHold: (on: boolean) => void;
  onDigit: (digit: string) => void;
  /** Resolves true when the transfer started, so the form stays open after a refusal. */
  onTransfer: (target: TransferTarget, mode: TransferMode) => Promise<boolean>;
  onCompleteTransfer: () => void;
  onCancelTransfer: () => void;
  onHangUp: () => void;
}) {
  const { call, busy, consult } = props;
  const base = useId();
  const [open, setOpen] = useState<'keypad' | 'transfer' | null>(null);
  const held = call.state === 'held';
  const connecting = !call.answeredAt;
  const talk = call.answeredAt ? formatElapsed(props.now - Date.parse(call.answeredAt)) : null;
  const holdNow = held && call.holdStartedAt ? formatElapsed(props.now - Date.parse(call.holdStartedAt)) : null;
  const holdTotal = heldMs(call, props.now);
  useShortcuts({
    [MUTE_SHORTCUT]: () => !busy && !connecting && props.onMute(),
    [HOLD_SHORTCUT]: () => !busy && !connecting && !consult && props.onHold(!held),
  });
  const toggle = (panel: 'keypad' | 'transfer') => setOpen((current) => (current === panel ? null : panel));
  return (
    <section className={`panel softphone softphone--${call.state}`} aria-labelledby={`${base}-title`} data-testid="in-call">
      <h2 id={`${base}-title`}>{connecting ? 'Calling…' : consult ? 'Consulting before transfer' : held ? 'Caller on hold' : 'On a call'}</h2>
      <p className="softphone__number" aria-label={call.direction === 'outbound' ? 'Number called' : "Caller's number"}>
        {call.from ? formatPhoneNumber(call.from) : 'Number withheld'}
      </p>
      <dl className="facts">
        {props.queueName && (
          <>
            <dt>Queue</dt>
            <dd>{props.queueName}</dd>
          </>
        )}
        <dt>Call time</dt>
        <dd>
          <span role="timer" aria-label="Call time">
            {talk ?? '–'}
          </span>
        </dd>
        {(held || holdTotal > 0) && (
          <>
            <dt>On hold</dt>
            <dd data-testid="hold-time">
              {holdNow ? `${holdNow} now, ` : ''}
              {formatElapsed(holdTotal)} in all
            </dd>
          </>
        )}
      </dl>
      {call.script && <CallerScript script={call.script} />}
      {consult && (
        <div className="softphone__consult" role="status">
          <p>
            You are talking to {describeTransferTarget(consult.target, props.queues, props.colleagues)}. The caller is on hold and cannot hear
            you.
          </p>
          <button type="button" className="button" disabled={busy} onClick={props.onCompleteTransfer}>
            Complete transfer
          </button>
          <button type="button" className="button button--secondary" disabled={busy} onClick={props.onCancelTransfer}>
            Cancel transfer
          </button>
        </div>
      )}
      <div className="softphone__controls" role="group" aria-label="Call controls">
        <button type="button" className="button button--secondary" aria-pressed={props.muted} aria-keyshortcuts="Alt+M" disabled={busy || connecting} onClick={props.onMute}>
          {props.muted ? 'Unmute' : 'Mute'}
        </button>
        <button
          type="button"
          className="button button--secondary"
          aria-keyshortcuts="Alt+H"
          disabled={busy || connecting || consult !== null}
          onClick={() => props.onHold(!held)}
        >
          {held ? 'Resume' : 'Hold'}
        </button>
        <button type="button" className="button button--secondary" aria-expanded={open === 'keypad'} aria-controls={`${base}-keypad`} onClick={() => toggle('keypad')}>
          Keypad
        </button>
        <button
          type="button"
          className="button button--secondary"
          aria-expanded={open === 'transfer'}
          aria-controls={`${base}-transfer`}
          disabled={connecting || consult !== null}
          onClick={() => toggle('transfer')}
        >
          Transfer
        </button>
        <button type="button" className="button softphone__hang-up" disabled={busy || consult !== null} onClick={props.onHangUp}>
          Hang up
        </button>
      </div>
      {open === 'keypad' && <Keypad id={`${base}-keypad`} sent={props.digitsSent} disabled={busy} onKey={props.onDigit} />}
      {open === 'transfer' && !consult && (
        <TransferForm
          id={`${base}-transfer`}
          queues={props.queues}
          colleagues={props.colleagues}
          busy={busy}
          onTransfer={(target, mode) => {
            void props.onTransfer(target, mode).then((started) => started && setOpen(null));
          }}
        />
      )}
    </section>
  );
}
