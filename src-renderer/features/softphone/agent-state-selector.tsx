import { useStore } from 'zustand';
import type { SetAgentStateInput } from '../../../src-shared/contract/agent-state';
import { AgentStateOptions, stateInputFrom, stateOptionValue } from '../../components/agent-state-options';
import { handlerStateLabels } from '../../../src-shared/telephony/model';
import type { AgentStatus, SoftphoneStore } from './softphone-store';
import { formatElapsed } from './timing';

const optionValue = (agent: AgentStatus): string => stateOptionValue(agent.state, agent.breakReason);
const inputFrom = stateInputFrom;

/** States the line sets: the handler sees them, with their time, but cannot pick them. */
const ROUTING_STATES = new Set(['ringing', 'on-call', 'wrap-up', 'not-responding']);

export function describeAgentStatus(agent: AgentStatus): string {
  return agent.state === 'break' ? `On a break: ${agent.breakReason ?? 'no reason given'}` : handlerStateLabels[agent.state];
}

/**
 * The handler's state on the agent bar. Available, a break with its reason, or offline are chosen here; ringing,
 * on a call, wrap-up and not responding are shown with their time but set by the line. "Not responding" means an
 * offer was missed and no more calls are sent until the handler says they are back.
 */
export function AgentStateControl(props: {
  agent: AgentStatus | null;
  now: number;
  busy: boolean;
  error: string | null;
  onChange: (input: SetAgentStateInput) => void;
}) {
  const { agent } = props;
  const time = agent ? formatElapsed(props.now - Date.parse(agent.since)) : null;
  const routed = agent !== null && ROUTING_STATES.has(agent.state);
  return (
    <div className={`agent-state agent-state--${agent?.state ?? 'unknown'}`} data-testid="agent-state">
      {routed ? (
        <p className="agent-state__routed" aria-live="polite">
          <span className="agent-state__label">My state</span> <strong>{describeAgentStatus(agent)}</strong>{' '}
          <time dateTime={agent.since} aria-label={`for ${time}`}>
            {time}
          </time>
        </p>
      ) : (
        <>
          <label htmlFor="softphone-agent-state" className="agent-state__label">
            My state
          </label>
          <select
            id="softphone-agent-state"
            value={agent ? optionValue(agent) : ''}
            disabled={!agent || props.busy}
            onChange={(event) => {
              const next = inputFrom(event.target.value);
              if (next) props.onChange(next);
            }}
          >
            {!agent && <option value="">Connecting…</option>}
            <AgentStateOptions />
          </select>
          {agent && (
            <time className="agent-state__since" dateTime={agent.since}>
              <span className="visually-hidden">{describeAgentStatus(agent)} for </span>
              {time}
            </time>
          )}
        </>
      )}
      {agent?.state === 'not-responding' && (
        <div className="agent-state__missed" role="alert">
          <p>You missed a call, so no more calls are being sent to you.</p>
          <button type="button" className="button button--small" disabled={props.busy} onClick={() => props.onChange({ state: 'available' })}>
            Become available
          </button>
        </div>
      )}
      {props.error && (
        <p className="agent-state__error" role="alert">
          {props.error}
        </p>
      )}
    </div>
  );
}

/** The agent bar's state selector, connected to the softphone store. `now` ticks the time in state. */
export function AgentStateSelector({ store, now }: { store: SoftphoneStore; now: number }) {
  const agent = useStore(store, (s) => s.agent);
  const busy = useStore(store, (s) => s.pending === 'state');
  const error = useStore(store, (s) => (s.failedCommand === 'state' ? s.error : null));
  const setState = useStore(store, (s) => s.setState);
  return <AgentStateControl agent={agent} now={now} busy={busy} error={error} onChange={(input) => void setState(input)} />;
}
