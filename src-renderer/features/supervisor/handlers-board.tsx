import { useState } from 'react';
import { formatElapsed } from '../../components/elapsed-time';
import { handlerStateLabels, handlerStates, type Call, type HandlerState, type HandlerStatus } from '../../../src-shared/telephony/model';
import { averageHandleMs, boardRows, formatSeconds, isLiveCall, stateLabel, teamLabels, type SortDirection, type SortKey } from './live-figures';

export const MONITOR_NEEDS_TWILIO = 'Listening in needs the Twilio line; this line is simulated.';

const callStateWords: Partial<Record<Call['state'], string>> = { offered: 'ringing', connected: 'talking', held: 'on hold', 'wrap-up': 'wrapping up' };

const columns: { key: SortKey; label: string; numeric?: boolean }[] = [
  { key: 'name', label: 'Handler' },
  { key: 'state', label: 'State' },
  { key: 'since', label: 'Time in state', numeric: true },
];
const figureColumns: { key: SortKey; label: string }[] = [
  { key: 'calls', label: 'Calls today' },
  { key: 'aht', label: 'Average handle time' },
  { key: 'missed', label: 'Missed offers' },
];

/**
 * Which state changes a row offers. A handler on a call or in wrap-up keeps their state until the call is done (the
 * line refuses it), so those rows offer none; a refusal from a race (the handler moved meanwhile) is still shown.
 */
const canMakeAvailable = new Set<HandlerState>(['not-responding', 'break', 'offline']);
const canSetOffline = new Set<HandlerState>(['available', 'ringing', 'not-responding', 'break']);

export interface BoardActions {
  onSetState(handler: HandlerStatus, state: 'available' | 'offline'): void;
  onMonitor(call: Call, mode: 'listen' | 'whisper'): void;
  onReassign(caseId: string, description: string): void;
}

function SortHeader({ column, sort, onSort }: { column: { key: SortKey; label: string }; sort: { key: SortKey; direction: SortDirection }; onSort: (key: SortKey) => void }) {
  const active = sort.key === column.key;
  return (
    <th scope="col" aria-sort={active ? sort.direction : 'none'}>
      <button type="button" className="sort-button" onClick={() => onSort(column.key)}>
        {column.label}
        <span className="sort-button__arrow" aria-hidden="true">
          {active ? (sort.direction === 'ascending' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}

function CurrentCall({ call, queueNames, now }: { call: Call | undefined; queueNames: Record<string, string>; now: number }) {
  if (!call) return <span className="muted">–</span>;
  const since = call.answeredAt ?? call.offeredAt;
  return (
    <span className="current-call">
      {call.queueId ? (queueNames[call.queueId] ?? call.queueId) : call.direction === 'outbound' ? 'Outbound' : 'Direct'} · {callStateWords[call.state] ?? call.state}
      {since && <> · {formatElapsed(now - Date.parse(since))}</>}
      {call.caseId && <span className="current-call__case"> · case linked</span>}
    </span>
  );
}

/**
 * Every handler of the supervisor's teams: state and time in it, current call, today's figures, and the actions a
 * supervisor takes on them. Sortable by any figure (buttons in the column headers, `aria-sort` on the sorted one) and
 * filterable by team and state.
 */
export function HandlersBoard(props: { handlers: readonly HandlerStatus[]; calls: Record<string, Call>; queueNames: Record<string, string>; now: number; pending: string | null } & BoardActions) {
  const [sort, setSort] = useState<{ key: SortKey; direction: SortDirection }>({ key: 'name', direction: 'ascending' });
  const [teamId, setTeamId] = useState<string | null>(null);
  const [state, setState] = useState<HandlerState | null>(null);
  const teams = teamLabels(props.handlers);
  const rows = boardRows(props.handlers, { teamId, state, sort: sort.key, direction: sort.direction });
  const onSort = (key: SortKey) => setSort((current) => ({ key, direction: current.key === key && current.direction === 'ascending' ? 'descending' : 'ascending' }));
  const anyLiveCall = rows.some((handler) => isLiveCall(handler.currentCallId ? props.calls[handler.currentCallId] : undefined));

  return (
    <section className="panel supervisor__board" aria-labelledby="supervisor-board-heading">
      <h2 id="supervisor-board-heading">Handlers</h2>
      <div className="board-filters">
        <label>
          Team
          <select value={teamId ?? ''} onChange={(event) => setTeamId(event.target.value || null)}>
            <option value="">All teams</option>
            {teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          State
          <select value={state ?? ''} onChange={(event) => setState((event.target.value || null) as HandlerState | null)}>
            <option value="">All states</option>
            {handlerStates.map((s) => (
              <option key={s} value={s}>
                {handlerStateLabels[s]}
              </option>
            ))}
          </select>
        </label>
        <p className="board-filters__count" aria-live="polite">
          {rows.length} of {props.handlers.length} handlers
        </p>
      </div>
      {props.handlers.length === 0 ? (
        <p className="muted">Nobody in your teams has signed in to the line today.</p>
      ) : (
        <table className="live-table live-table--board">
          <caption className="visually-hidden">Handlers, sorted by {[...columns, ...figureColumns].find((c) => c.key === sort.key)?.label.toLowerCase()}, {sort.direction}</caption>
          <thead>
            <tr>
              {columns.map((column) => (
                <SortHeader key={column.key} column={column} sort={sort} onSort={onSort} />
              ))}
              <th scope="col">Current call</th>
              {figureColumns.map((column) => (
                <SortHeader key={column.key} column={column} sort={sort} onSort={onSort} />
              ))}
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((handler) => {
              const call = handler.currentCallId ? props.calls[handler.currentCallId] : undefined;
              const aht = averageHandleMs(handler);
              const busy = props.pending === `state:${handler.handlerId}`;
              return (
                <tr key={handler.handlerId} data-testid={`handler-${handler.handlerId}`} className={`board-row board-row--${handler.state}`}>
                  <th scope="row">{handler.name}</th>
                  <td>
                    <span className={`state-pill state-pill--${handler.state}`}>{stateLabel(handler)}</span>
                    {handler.wrapUpOverdue && <span className="state-pill__note"> (overdue)</span>}
                  </td>
                  <td className="live-table__number">
                    <time dateTime={handler.since}>{formatElapsed(props.now - Date.parse(handler.since))}</time>
                  </td>
                  <td>
                    <CurrentCall call={call} queueNames={props.queueNames} now={props.now} />
                  </td>
                  <td className="live-table__number">{handler.callsHandledToday}</td>
                  <td className="live-table__number">{aht === null ? <span className="muted">{handler.handleMsToday === undefined ? 'not sent' : '–'}</span> : formatSeconds(aht)}</td>
                  <td className="live-table__number">{handler.missedOffersToday}</td>
                  <td>
                    <div className="board-actions">
                      {canMakeAvailable.has(handler.state) && (
                        <button type="button" className="button button--small" disabled={busy} aria-label={`Make available: ${handler.name}`} onClick={() => props.onSetState(handler, 'available')}>
                          Make available
                        </button>
                      )}
                      {canSetOffline.has(handler.state) && (
                        <button type="button" className="button button--small button--secondary" disabled={busy} aria-label={`Set offline: ${handler.name}`} onClick={() => props.onSetState(handler, 'offline')}>
                          Set offline
                        </button>
                      )}
                      {isLiveCall(call) &&
                        (['listen', 'whisper'] as const).map((mode) => (
                          <button
                            key={mode}
                            type="button"
                            className="button button--small button--secondary"
                            disabled={call.provider !== 'twilio' || props.pending === `monitor:${call.id}`}
                            aria-describedby={call.provider !== 'twilio' ? 'monitor-needs-twilio' : undefined}
                            title={call.provider !== 'twilio' ? MONITOR_NEEDS_TWILIO : undefined}
                            aria-label={mode === 'listen' ? `Listen to ${handler.name}’s call` : `Whisper to ${handler.name}`}
                            onClick={() => props.onMonitor(call, mode)}
                          >
                            {mode === 'listen' ? 'Listen' : 'Whisper'}
                          </button>
                        ))}
                      {call?.caseId && (
                        <button
                          type="button"
                          className="button button--small button--secondary"
                          aria-label={`Reassign case on ${handler.name}’s call`}
                          onClick={() => props.onReassign(call.caseId!, `the case on ${handler.name}’s call`)}
                        >
                          Reassign case
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {anyLiveCall && (
        <p id="monitor-needs-twilio" className="hint">
          {rows.some((h) => h.currentCallId && props.calls[h.currentCallId]?.provider !== 'twilio') ? MONITOR_NEEDS_TWILIO : 'Listen joins the call muted; Whisper lets only the handler hear you.'}
        </p>
      )}
      <p className="hint">Average handle time is talk, hold and wrap-up of the calls handled today. Time in state ticks from when the handler entered it.</p>
    </section>
  );
}
