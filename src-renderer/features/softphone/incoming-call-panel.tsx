import { CallerScript } from './caller-script';
import { formatPhoneNumber } from '../../../src-shared/domain/phone-number';
import type { Offer } from '../../../src-shared/telephony/model';
import { useShortcuts } from '../../components/use-shortcuts';
import { formatElapsed } from './timing';

/** Alt+A and Alt+D: free beside the home screen's Alt+N, Alt+S and Alt+O. */
export const ANSWER_SHORTCUT = 'Alt+KeyA';
export const DECLINE_SHORTCUT = 'Alt+KeyD';

/**
 * A call ringing at this handler: who (the number, formatted the UK way), which queue, how long before it moves
 * on, and for simulated calls the caller's script, for training. Answer and Decline work from the keyboard
 * anywhere in the window.
 */
export function IncomingCallPanel(props: {
  offer: Offer;
  queueName: string | null;
  now: number;
  busy: boolean;
  /** A looping ringtone, when the softphone does not ring by itself. */
  ringtoneSrc: string | null;
  onAnswer: () => void;
  onDecline: () => void;
}) {
  const { offer, busy } = props;
  const call = offer.call;
  const left = Math.max(0, Date.parse(offer.expiresAt) - props.now);
  const number = call.from ? formatPhoneNumber(call.from) : 'Number withheld';
  useShortcuts({
    [ANSWER_SHORTCUT]: () => !busy && props.onAnswer(),
    [DECLINE_SHORTCUT]: () => !busy && props.onDecline(),
  });
  return (
    <section className="panel softphone softphone--ringing" aria-labelledby="incoming-call-title" data-testid="incoming-call">
      <h2 id="incoming-call-title">{call.direction === 'outbound' ? 'Call connecting' : 'Incoming call'}</h2>
      <p className="softphone__number" aria-label="Caller's number">
        {number}
      </p>
      <dl className="facts">
        <dt>Queue</dt>
        <dd>{props.queueName ?? call.queueId ?? 'Direct'}</dd>
        <dt>Rings here for</dt>
        <dd>
          <span role="timer" aria-live="off">
            {formatElapsed(Math.ceil(left / 1000) * 1000)}
          </span>{' '}
          more
        </dd>
      </dl>
      {call.script && <CallerScript script={call.script} />}
      <div className="softphone__actions">
        <button type="button" className="button softphone__answer" disabled={busy} aria-keyshortcuts="Alt+A" onClick={props.onAnswer}>
          Answer <kbd className="shortcut-hint" aria-hidden="true">Alt+A</kbd>
        </button>
        <button
          type="button"
          className="button button--secondary softphone__decline"
          disabled={busy}
          aria-keyshortcuts="Alt+D"
          onClick={props.onDecline}
        >
          Decline <kbd className="shortcut-hint" aria-hidden="true">Alt+D</kbd>
        </button>
      </div>
      {props.ringtoneSrc && (
        // A ringtone has no words to caption.
        // eslint-disable-next-line jsx-a11y/media-has-caption
        <audio className="softphone__ringtone" src={props.ringtoneSrc} autoPlay loop data-testid="ringtone" />
      )}
    </section>
  );
}
