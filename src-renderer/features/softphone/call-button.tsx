import { createContext, useContext, useId, useState } from 'react';
import { useStore } from 'zustand';
import { formatPhoneNumber, normalisePhoneNumber, PHONE_INPUT_MAX_LENGTH } from '../../../src-shared/domain/phone-number';
import type { SoftphoneStore } from './softphone-store';

/** Lets a call button anywhere in the window (a caller card, a case) reach the softphone without prop drilling. */
export const SoftphoneStoreContext = createContext<SoftphoneStore | null>(null);

function useSoftphoneStore(store: SoftphoneStore | undefined): SoftphoneStore {
  const fromContext = useContext(SoftphoneStoreContext);
  const found = store ?? fromContext;
  if (!found) throw new Error('A call button needs a softphone store: pass `store` or wrap it in SoftphoneStoreContext.');
  return found;
}

/** Why a handler cannot place a call right now, or null when they can. */
function whyNotDial(state: { call: unknown; offer: unknown; agent: { state: string } | null }): string | null {
  if (state.call) return 'Finish the current call first.';
  if (state.offer) return 'Answer or decline the ringing call first.';
  if (!state.agent || state.agent.state === 'offline') return 'Go available or on a break to make calls.';
  return null;
}

/**
 * Click to call: rings a number, linking the call to a case when there is one (a callback). `number` is E.164, as
 * stored.
 */
export function CallButton(props: { number: string; caseId?: string | null; store?: SoftphoneStore; label?: string }) {
  const store = useSoftphoneStore(props.store);
  const blocked = useStore(store, whyNotDial);
  const busy = useStore(store, (s) => s.pending === 'dial');
  const error = useStore(store, (s) => (s.failedCommand === 'dial' ? s.error : null));
  const dial = useStore(store, (s) => s.dial);
  const hintId = useId();
  const shown = formatPhoneNumber(props.number);
  return (
    <span className="call-button">
      <button
        type="button"
        className="button button--small"
        disabled={busy || blocked !== null}
        aria-describedby={blocked ? hintId : undefined}
        onClick={() => void dial(props.number, props.caseId ?? undefined)}
      >
        {props.label ?? `Call ${shown}`}
      </button>
      {blocked && (
        <span id={hintId} className="visually-hidden">
          {blocked}
        </span>
      )}
      {error && <span role="alert">{error}</span>}
    </span>
  );
}

/** A call button where the desk is on a line (a softphone is in context); nothing where it is not. */
export function CallButtonIfOnLine(props: { number: string; caseId?: string | null; label?: string }) {
  const store = useContext(SoftphoneStoreContext);
  return store ? <CallButton {...props} store={store} /> : null;
}

/** A box to dial any number, checked and shown the way the rest of the desk reads phone numbers. */
export function DialBox(props: { store?: SoftphoneStore }) {
  const store = useSoftphoneStore(props.store);
  const blocked = useStore(store, whyNotDial);
  const busy = useStore(store, (s) => s.pending === 'dial');
  const refused = useStore(store, (s) => (s.failedCommand === 'dial' ? s.error : null));
  const dial = useStore(store, (s) => s.dial);
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const base = useId();
  const message = problem ?? refused;
  return (
    <form
      className="dial-box"
      aria-label="Make a call"
      onSubmit={(event) => {
        event.preventDefault();
        const parsed = normalisePhoneNumber(text);
        if (!parsed.ok) {
          setProblem(parsed.message);
          return;
        }
        setProblem(null);
        void dial(parsed.e164).then((placed) => placed && setText(''));
      }}
    >
      <label htmlFor={`${base}-number`}>Number to call</label>
      <input
        id={`${base}-number`}
        type="tel"
        autoComplete="off"
        maxLength={PHONE_INPUT_MAX_LENGTH}
        value={text}
        aria-invalid={problem !== null}
        aria-describedby={message ? `${base}-problem` : blocked ? `${base}-blocked` : undefined}
        onChange={(event) => setText(event.target.value)}
      />
      <button type="submit" className="button button--small" disabled={busy || blocked !== null}>
        Call
      </button>
      {blocked && (
        <p id={`${base}-blocked`} className="hint">
          {blocked}
        </p>
      )}
      {message && (
        <p id={`${base}-problem`} role="alert">
          {message}
        </p>
      )}
    </form>
  );
}
