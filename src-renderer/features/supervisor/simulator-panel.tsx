import { useState, type FormEvent } from 'react';
import type { QueueFigures } from '../../../src-shared/telephony/model';
import type { SimulatorStatus } from './supervisor-store';

/** The call simulator: running or stopped, what it has generated, and its rate per queue (calls per hour). */
export function SimulatorPanel(props: {
  status: SimulatorStatus | null;
  problem: string | null;
  busy: boolean;
  queues: readonly QueueFigures[];
  onStart(ratesPerHour: Record<string, number>): void;
  onStop(): void;
  onApplyRates(ratesPerHour: Record<string, number>): void;
}) {
  const { status } = props;
  // The inputs show the simulator's rates until the supervisor types a change; applying sends and forgets the edits.
  const [edits, setEdits] = useState<Record<string, string>>({});
  const rates: Record<string, string> = { ...Object.fromEntries(Object.entries(status?.ratesPerHour ?? {}).map(([id, perHour]) => [id, String(perHour)])), ...edits };
  const setRates = (update: (current: Record<string, string>) => Record<string, string>) => setEdits((current) => update(current));

  const queueIds = [...new Set([...props.queues.map((q) => q.queueId), ...Object.keys(status?.ratesPerHour ?? {})])];
  const nameOf = (id: string) => props.queues.find((q) => q.queueId === id)?.name ?? id;
  const invalid = queueIds.filter((id) => {
    const value = rates[id];
    if (value === undefined || value === '') return false;
    const n = Number(value);
    return !Number.isFinite(n) || n < 0 || n > 3600;
  });
  const parsed = (): Record<string, number> => Object.fromEntries(queueIds.filter((id) => rates[id] !== undefined && rates[id] !== '').map((id) => [id, Number(rates[id])]));
  const apply = (event: FormEvent) => {
    event.preventDefault();
    if (invalid.length > 0) return;
    props.onApplyRates(parsed());
    setEdits({});
  };

  return (
    <section className="panel supervisor__simulator" aria-labelledby="simulator-heading">
      <h2 id="simulator-heading">Call simulator</h2>
      {props.problem && (
        <p className="banner banner--error supervisor__inline-banner" role="alert">
          {props.problem}
        </p>
      )}
      {status && (
        <>
          <dl className="facts" data-testid="simulator-status">
            <dt>Status</dt>
            <dd>
              <span className={`state-pill state-pill--${status.running ? 'available' : 'offline'}`}>{status.running ? 'Running' : 'Stopped'}</span>
            </dd>
            <dt>Calls generated</dt>
            <dd>{status.callsGenerated}</dd>
            <dt>Callers on the line</dt>
            <dd>{status.callersOnLine}</dd>
          </dl>
          <form onSubmit={apply} noValidate>
            <fieldset className="simulator-rates">
              <legend>Calls per hour</legend>
              {queueIds.map((id) => (
                <div className="simulator-rates__row" key={id}>
                  <label htmlFor={`simulator-rate-${id}`}>{nameOf(id)}</label>
                  <input
                    id={`simulator-rate-${id}`}
                    type="number"
                    min={0}
                    max={3600}
                    step={1}
                    inputMode="numeric"
                    value={rates[id] ?? ''}
                    aria-invalid={invalid.includes(id) || undefined}
                    aria-describedby={invalid.includes(id) ? `simulator-rate-${id}-error` : undefined}
                    onChange={(event) => setRates((current) => ({ ...current, [id]: event.target.value }))}
                  />
                  {invalid.includes(id) && (
                    <span id={`simulator-rate-${id}-error`} className="field__error">
                      From 0 to 3600 calls per hour.
                    </span>
                  )}
                </div>
              ))}
            </fieldset>
            <div className="simulator-actions">
              {status.running ? (
                <button type="button" className="button button--secondary" disabled={props.busy} onClick={props.onStop}>
                  Stop simulator
                </button>
              ) : (
                <button type="button" className="button" disabled={props.busy || invalid.length > 0} onClick={() => {
                    props.onStart(parsed());
                    setEdits({});
                  }}>
                  Start simulator
                </button>
              )}
              <button type="submit" className="button button--secondary" disabled={props.busy || invalid.length > 0}>
                Apply rates
              </button>
            </div>
          </form>
        </>
      )}
      {!status && !props.problem && <p className="muted">Reading the simulator…</p>}
    </section>
  );
}
