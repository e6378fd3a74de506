import { useId } from 'react';
import { formatPhoneNumber } from '../../../src-shared/domain/phone-number';
import type { Call } from '../../../src-shared/telephony/model';
import { formatCountdown } from './timing';

/** A wrap-up outcome, from reference data (see DOMAIN.md "Wrap-up dispositions"). */
export interface Disposition {
  id: string;
  label: string;
}

/**
 * After the call: the wrap-up countdown (it keeps counting into overtime, so the handler and their supervisor see
 * an overrun rather than a silent zero), the required disposition, and Finish, which makes the handler available.
 */
export function WrapUpPanel(props: {
  call: Call;
  /** When wrap-up time runs out (ms since the epoch); null if routing has not said when the call ended. */
  deadline: number | null;
  now: number;
  dispositions: readonly Disposition[];
  dispositionId: string | null;
  busy: boolean;
  error: string | null;
  onChoose: (dispositionId: string) => void;
  onFinish: () => void;
}) {
  const base = useId();
  const countdown = props.deadline === null ? null : formatCountdown(props.deadline, props.now);
  const chosen = props.dispositions.some((d) => d.id === props.dispositionId);
  return (
    <section className="panel softphone softphone--wrap-up" aria-labelledby={`${base}-title`} data-testid="wrap-up">
      <h2 id={`${base}-title`}>Wrap-up</h2>
      <p className="muted">
        Call with {props.call.from ? formatPhoneNumber(props.call.from) : 'a withheld number'}
        {props.call.outcome === 'transferred' ? ', transferred' : ''}.
      </p>
      {countdown && (
        <p className={`wrap-up__timer${countdown.over ? ' wrap-up__timer--over' : ''}`}>
          <span className="visually-hidden">Wrap-up time: </span>
          <span role="timer" data-testid="wrap-up-timer">
            {countdown.text}
          </span>
        </p>
      )}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (chosen) props.onFinish();
        }}
      >
        <fieldset className="wrap-up__dispositions">
          <legend>How did the call end? (required)</legend>
          {props.dispositions.map((d) => (
            <label key={d.id} className="wrap-up__disposition">
              <input
                type="radio"
                name={`${base}-disposition`}
                value={d.id}
                checked={props.dispositionId === d.id}
                onChange={() => props.onChoose(d.id)}
                required
              />{' '}
              {d.label}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="button" disabled={!chosen || props.busy} aria-describedby={chosen ? undefined : `${base}-why`}>
          Finish and become available
        </button>
        {!chosen && (
          <p id={`${base}-why`} className="hint">
            Choose how the call ended to finish.
          </p>
        )}
        {props.error && (
          <p className="wrap-up__error" role="alert">
            {props.error}
          </p>
        )}
      </form>
    </section>
  );
}
