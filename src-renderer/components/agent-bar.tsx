import type { ReactNode } from 'react';
import type { AgentState, SetAgentStateInput } from '../../src-shared/contract/agent-state';
import { AgentStateOptions, stateInputFrom, stateOptionValue } from './agent-state-options';
import type { CentralHealth } from '../../src-shared/health';
import type { SyncState } from '../../src-shared/contract/session';
import { ConnectionStatus } from './connection-status';
import { ElapsedTime } from './elapsed-time';
import { SyncStatus } from './sync-status';

const toOptionValue = (agent: AgentState): string => stateOptionValue(agent.state, agent.reason);
const fromOptionValue = stateInputFrom;

export function describeAgentState(agent: AgentState): string {
  switch (agent.state) {
    case 'available':
      return 'Available';
    case 'offline':
      return 'Offline';
    case 'break':
      return `On break: ${agent.reason ?? 'no reason'}`;
  }
}

/**
 * The bar across the top of every handler screen: who is on the line, their state and how long they have been in
 * it, and whether the central service can be reached.
 */
export function AgentBar(props: {
  agent: AgentState | null;
  health: CentralHealth | null;
  busy: boolean;
  now: number;
  onChangeState: (input: SetAgentStateInput) => void;
  userName?: string | undefined;
  sync?: SyncState | null | undefined;
  onSyncNow?: (() => void) | undefined;
  onSignOut?: (() => void) | undefined;
  /** The line's own state control (the softphone's), when the desk is on a line; replaces the local one. */
  stateControl?: ReactNode;
  /** Supervisors' switch between their desk and the live view; absent for handlers. */
  viewSwitch?: ReactNode;
}) {
  const { agent } = props;
  return (
    <header className="agent-bar">
      <div className="agent-bar__brand">
        <span className="agent-bar__logo" aria-hidden="true">
          CC
        </span>
        <span className="agent-bar__product">Care Connect Desk</span>
      </div>
      {props.viewSwitch}
      {props.stateControl ?? (
        <div className={`agent-bar__state agent-bar__state--${agent?.state ?? 'offline'}`}>
          <label htmlFor="agent-state" className="agent-bar__state-label">
            My state
          </label>
          <select
            id="agent-state"
            value={agent ? toOptionValue(agent) : 'offline'}
            disabled={!agent || props.busy}
            onChange={(event) => {
              const next = fromOptionValue(event.target.value);
              if (next) props.onChangeState(next);
            }}
          >
            <AgentStateOptions />
          </select>
          {agent && (
            <span className="agent-bar__since">
              <span className="visually-hidden">{describeAgentState(agent)} for </span>
              <ElapsedTime since={agent.since} now={props.now} />
            </span>
          )}
        </div>
      )}
      {props.onSyncNow && <SyncStatus sync={props.sync ?? null} onSyncNow={props.onSyncNow} />}
      <ConnectionStatus health={props.health} />
      {props.userName && props.onSignOut && (
        <div className="agent-bar__user">
          <span>{props.userName}</span>
          <button type="button" className="button button--small button--on-dark" onClick={props.onSignOut}>
            Sign out
          </button>
        </div>
      )}
    </header>
  );
}
