import type { AgentState } from '../../../src-shared/contract/agent-state';

/**
 * Where the caller card and the case form sit during a call. Until a call or case is open it tells the handler what
 * will happen next, from their current state.
 */
export function CaseArea({ agent }: { agent: AgentState | null }) {
  const hint =
    agent?.state === 'available'
      ? 'You are available. The next caller will ring here, with their history, and a case will open when you answer.'
      : agent?.state === 'break'
        ? 'You are on a break, so no calls will be offered. Choose Available when you are back.'
        : 'You are offline, so no calls will be offered. Choose Available in "My state" to start taking calls.';
  return (
    <section className="panel case-area" aria-labelledby="case-area-title">
      <h2 id="case-area-title">Current case</h2>
      <div className="case-area__empty">
        <p className="case-area__headline">No case open</p>
        <p>{hint}</p>
      </div>
    </section>
  );
}
