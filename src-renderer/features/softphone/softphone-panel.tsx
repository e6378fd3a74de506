import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { LiveConnectionState } from '../../../src-shared/contract/live';
import type { Call } from '../../../src-shared/telephony/model';
import { AudioSettings } from './audio-settings-dialog';
import { DialBox } from './call-button';
import { InCallControls } from './in-call-controls';
import { IncomingCallPanel } from './incoming-call-panel';
import { createBrowserNotifier, windowIsHidden, type Notifier } from './notifier';
import { QualityBanner } from './quality-banner';
import { lineIsDown, wrapUpDeadline, type SoftphoneCommand, type SoftphoneStore } from './softphone-store';
import { WrapUpPanel, type Disposition } from './wrap-up-panel';
import './softphone.css';

/** Errors shown beside their own control rather than at the top of the panel. */
const SHOWN_ELSEWHERE = new Set<SoftphoneCommand>(['state', 'dial', 'audio', 'wrap-up']);

export interface SoftphonePanelProps {
  store: SoftphoneStore;
  /** The current time, ticking (`useNow()`): drives the offer countdown, call, hold and wrap-up timers. */
  now: number;
  /** Wrap-up dispositions from reference data, in display order. */
  dispositions: readonly Disposition[];
  /** A looping ringtone file; used only when the softphone does not ring by itself (the simulator). */
  ringtoneSrc?: string | null;
  /** System notifications for an offer while the window is hidden. Defaults to the Notification API. */
  notifier?: Notifier;
  /** Whether the window is out of sight. Defaults to `document.visibilityState`. */
  isHidden?: () => boolean;
  /** Called once when the handler has answered a call: the place to open the case draft (screen pop). */
  onAnswered?: (call: Call) => void;
}

/**
 * The softphone, whichever the handler's moment is: ringing, on a call, wrapping up, or waiting (with a box to
 * dial out). Reads the softphone store; every command goes through it.
 */
export function SoftphonePanel(props: SoftphonePanelProps) {
  const { store, now } = props;
  const state = useStore(store);
  const notifier = useMemo(() => props.notifier ?? createBrowserNotifier(), [props.notifier]);
  const isHidden = props.isHidden ?? windowIsHidden;
  const notified = useRef<string | null>(null);
  const answered = useRef<string | null>(null);
  const onAnswered = props.onAnswered;

  useEffect(() => notifier.prepare(), [notifier]);

  const offer = state.offer;
  const queueName = (id: string | null) => (id ? (state.queues[id] ?? null) : null);
  const offerQueue = offer ? queueName(offer.call.queueId) : null;

  useEffect(() => {
    if (!offer || notified.current === offer.call.id) return;
    notified.current = offer.call.id;
    // The queue only: an OS notification centre keeps its history, and a caller's number is not for it.
    if (isHidden()) notifier.notify({ title: 'Incoming call', body: `${offerQueue ?? 'A caller'} is ringing. Open Care Connect Desk to answer.` });
  }, [offer, offerQueue, isHidden, notifier]);

  const call = state.call;
  useEffect(() => {
    if (call?.answeredAt && call.direction === 'inbound' && answered.current !== call.id) {
      answered.current = call.id;
      onAnswered?.(call);
    }
  }, [call, onAnswered]);

  const queues = useMemo(() => Object.entries(state.queues).map(([id, name]) => ({ id, name })), [state.queues]);
  const colleagues = useMemo(
    () => state.colleagues.filter((h) => h.state === 'available').map((h) => ({ id: h.handlerId, name: h.name })),
    [state.colleagues],
  );
  const busy = state.pending !== null;
  const error = state.error && !(state.failedCommand && SHOWN_ELSEWHERE.has(state.failedCommand)) ? state.error : null;

  let body: ReactNode;
  if (offer && !call) {
    body = (
      <IncomingCallPanel
        offer={offer}
        queueName={offerQueue}
        now={now}
        busy={busy}
        ringtoneSrc={store.ringsItself ? null : (props.ringtoneSrc ?? null)}
        onAnswer={() => void state.answer()}
        onDecline={() => void state.decline()}
      />
    );
  } else if (call && call.state === 'wrap-up') {
    body = (
      <WrapUpPanel
        call={call}
        deadline={wrapUpDeadline(state, store.wrapUpMs)}
        now={now}
        dispositions={props.dispositions}
        dispositionId={state.dispositionId}
        busy={busy}
        error={state.failedCommand === 'wrap-up' ? state.error : null}
        onChoose={state.chooseDisposition}
        onFinish={() => void state.finishWrapUp()}
      />
    );
  } else if (call) {
    body = (
      <InCallControls
        call={call}
        queueName={queueName(call.queueId)}
        now={now}
        muted={state.muted}
        consult={state.consult}
        digitsSent={state.digitsSent}
        busy={busy}
        queues={queues}
        colleagues={colleagues}
        onMute={() => void state.toggleMute()}
        onHold={(on) => void state.setHold(on)}
        onDigit={(digit) => void state.sendDigits(digit)}
        onTransfer={state.transfer}
        onCompleteTransfer={() => void state.completeTransfer()}
        onCancelTransfer={() => void state.cancelTransfer()}
        onHangUp={() => void state.hangUp()}
      />
    );
  } else {
    body = (
      <section className="panel softphone softphone--idle" aria-labelledby="softphone-idle-title">
        <h2 id="softphone-idle-title">Phone</h2>
        <p className="muted" role="status">
          {idleMessage(state.agent?.state ?? null, state.registration, state.link)}
        </p>
        <DialBox store={store} />
      </section>
    );
  }

  return (
    <div className="softphone-panel" data-testid="softphone">
      {error && (
        <div className="banner banner--error softphone-panel__error" role="alert">
          <span>{error}</span>{' '}
          <button type="button" className="button button--small button--link" onClick={state.dismissError}>
            Dismiss
          </button>
        </div>
      )}
      {state.notice && (
        <div className="banner softphone-panel__notice" role="status">
          <span>{state.notice}</span>{' '}
          <button type="button" className="button button--small button--link" onClick={state.dismissNotice}>
            Dismiss
          </button>
        </div>
      )}
      {(offer || call) && <QualityBanner warnings={state.warnings} />}
      {body}
      {store.hasAudioDevices && (
        <AudioSettings
          devices={state.audioDevices}
          busy={state.pending === 'audio'}
          error={state.failedCommand === 'audio' ? state.error : null}
          onChange={(kind, id) => void state.setAudioDevice(kind, id)}
        />
      )}
    </div>
  );
}

/**
 * What the idle phone panel says. The live link comes first: offers arrive only over it, so while it is down the
 * handler must not read "Waiting for the next call" (routing may still offer them calls, which then go unanswered).
 */
function idleMessage(agentState: string | null, registration: string | null, link: LiveConnectionState | null): string {
  if (lineIsDown(link)) {
    return `${link.reason} No calls can reach you until the phone service is back; this desk keeps trying.`;
  }
  if (registration === 'unregistered' || registration === 'destroyed') return 'The phone line is not connected, so calls cannot reach you. Reconnecting…';
  switch (agentState) {
    case 'available':
      return 'Waiting for the next call.';
    case 'break':
      return 'You are on a break: no calls will be sent to you.';
    case 'not-responding':
      return 'No calls are being sent to you until you become available.';
    case null:
      return 'Connecting to the phone line…';
    default:
      return 'You are offline: no calls will be sent to you.';
  }
}
