import { useStore } from 'zustand';
import type { HandlerState } from '../../../src-shared/telephony/model';
import { lineIsDown, type SoftphoneStore } from '../softphone';

const hints: Record<HandlerState, string> = {
  available: 'You are available. The next caller will ring here, with their history, and a case will open when you answer.',
  ringing: 'A call is ringing. Answer it and a case opens here with the caller filled in.',
  'on-call': 'You are on a call. Start a case below, or open one from the list or the caller card.',
  'wrap-up': 'Wrap-up: finish the case, then choose how the call ended to become available.',
  break: 'You are on a break, so no calls will be offered. Choose Available when you are back.',
  offline: 'You are offline, so no calls will be offered. Choose Available in "My state" to start taking calls.',
  'not-responding': 'A call rang here and was not answered, so no more calls will be offered. Choose Available when you are ready.',
};

/** While the live link is down no offer reaches the desk, whatever the handler's state says. */
const LINE_DOWN = 'No calls can reach you until the phone service is back (the phone panel says why). You can still start a case below.';

/**
 * Where the caller card and the case form sit during a call. Until a call or case is open it tells the handler what
 * will happen next, from their current state; `lineDown` when the live link that carries offers is down.
 */
export function CaseArea({ state, lineDown = false }: { state: HandlerState | null; lineDown?: boolean }) {
  return (
    <section className="panel case-area" aria-labelledby="case-area-title">
      <h2 id="case-area-title">Current case</h2>
      <div className="case-area__empty">
        <p className="case-area__headline">No case open</p>
        <p>{lineDown && (state === null || state === 'available') ? LINE_DOWN : hints[state ?? 'offline']}</p>
      </div>
    </section>
  );
}

/** The case area for a desk on a line: the state comes from the routing engine, through the softphone. */
export function LineCaseArea({ phone }: { phone: SoftphoneStore }) {
  const state = useStore(phone, (s) => s.agent?.state ?? null);
  const lineDown = useStore(phone, (s) => lineIsDown(s.link));
  return <CaseArea state={state} lineDown={lineDown} />;
}
