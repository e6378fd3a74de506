import { handlerStateLabels, handlerStates, type QueueFigures } from '../../../src-shared/telephony/model';
import { averageSpeedOfAnswer, formatPercent, formatSeconds, longestWaitMs, serviceLevel, WAIT_ALERT_SHARE, type LiveSettings } from './live-figures';

/** Handlers by state in a few words: "2 available, 1 on a call". States with nobody are left out. */
function byStateText(queue: QueueFigures): string {
  const parts = handlerStates.filter((state) => (queue.handlersByState[state] ?? 0) > 0).map((state) => `${queue.handlersByState[state]} ${handlerStateLabels[state].toLowerCase()}`);
  return parts.length > 0 ? parts.join(', ') : 'nobody signed in';
}

/**
 * Per queue: callers waiting and the longest wait (ticking with `now`), answered and abandoned today, today's
 * service level against the target, average speed of answer and the handlers who take the queue, by state.
 */
export function QueuesPanel({ queues, now, settings }: { queues: readonly QueueFigures[]; now: number; settings: LiveSettings }) {
  return (
    <section className="panel supervisor__queues" aria-labelledby="supervisor-queues-heading">
      <h2 id="supervisor-queues-heading">Queues</h2>
      {queues.length === 0 ? (
        <p className="muted">No queue figures yet: they arrive with the live link.</p>
      ) : (
        <table className="live-table">
          <caption className="visually-hidden">Queues today, with the service-level target of {formatPercent(settings.targetShare)} answered within {formatSeconds(settings.targetMs)}</caption>
          <thead>
            <tr>
              <th scope="col">Queue</th>
              <th scope="col" className="live-table__number">Waiting</th>
              <th scope="col" className="live-table__number">Longest wait</th>
              <th scope="col" className="live-table__number">Answered today</th>
              <th scope="col" className="live-table__number">Abandoned today</th>
              <th scope="col">Service level (target {formatPercent(settings.targetShare)} in {formatSeconds(settings.targetMs)})</th>
              <th scope="col" className="live-table__number">Average speed of answer</th>
              <th scope="col">Handlers</th>
            </tr>
          </thead>
          <tbody>
            {queues.map((queue) => {
              const wait = longestWaitMs(queue, now);
              const level = serviceLevel(queue);
              const asa = averageSpeedOfAnswer(queue);
              const late = wait !== null && wait > settings.targetMs * WAIT_ALERT_SHARE;
              const meets = level === null || level >= settings.targetShare;
              return (
                <tr key={queue.queueId} data-testid={`queue-${queue.queueId}`}>
                  <th scope="row">{queue.name}</th>
                  <td className={`live-table__number${queue.waiting > 0 ? ' live-figure--busy' : ''}`} data-testid="waiting">
                    {queue.waiting}
                  </td>
                  <td className={`live-table__number${late ? ' live-figure--late' : ''}`} data-testid="longest-wait">
                    {wait === null ? <span className="muted">none waiting</span> : formatSeconds(wait)}
                  </td>
                  <td className="live-table__number">{queue.answeredToday}</td>
                  <td className="live-table__number">{queue.abandonedToday}</td>
                  <td data-testid="service-level">
                    {level === null ? (
                      <span className="muted">no calls answered yet</span>
                    ) : (
                      <span className={`service-level service-level--${meets ? 'met' : 'missed'}`}>
                        {formatPercent(level)} <span className="service-level__verdict">{meets ? 'meets target' : 'below target'}</span>
                      </span>
                    )}
                  </td>
                  <td className="live-table__number">{asa === null ? <span className="muted">–</span> : formatSeconds(asa)}</td>
                  <td>{byStateText(queue)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
