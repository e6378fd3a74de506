import { breakReasons, type SetAgentStateInput } from '../../src-shared/contract/agent-state';

const BREAK_PREFIX = 'break:';

/** The option value of a state a handler can choose: `available`, `offline`, or `break:<reason>`. */
export function stateOptionValue(state: string, breakReason: string | null): string {
  return state === 'break' ? `${BREAK_PREFIX}${breakReason ?? ''}` : state;
}

/** The choice an option value stands for, or null for one that is not a choice (a placeholder). */
export function stateInputFrom(value: string): SetAgentStateInput | null {
  if (value === 'available' || value === 'offline') return { state: value };
  const reason = breakReasons.find((candidate) => `${BREAK_PREFIX}${candidate}` === value);
  return reason ? { state: 'break', reason } : null;
}

/** The states a handler chooses for themselves, breaks grouped with their reasons: one list for every state picker. */
export function AgentStateOptions() {
  return (
    <>
      <option value="available">Available</option>
      <optgroup label="Break">
        {breakReasons.map((reason) => (
          <option key={reason} value={`${BREAK_PREFIX}${reason}`}>
            Break: {reason}
          </option>
        ))}
      </optgroup>
      <option value="offline">Offline</option>
    </>
  );
}
