import type { LiveAlert } from './live-figures';

/**
 * The alerts up now, as a plain list, and one `role="alert"` region that carries only what was newly raised, so a
 * screen reader hears each alert once rather than on every tick of its clock.
 */
export function AlertsPanel({ alerts, announcement }: { alerts: readonly LiveAlert[]; announcement: string }) {
  return (
    <section className="panel supervisor__alerts" aria-labelledby="alerts-heading">
      <h2 id="alerts-heading">
        Alerts <span className="alerts-count">({alerts.length})</span>
      </h2>
      <div role="alert" className="visually-hidden" data-testid="alert-announcer">
        {announcement}
      </div>
      {alerts.length === 0 ? (
        <p className="muted">All queues and handlers are within their targets.</p>
      ) : (
        <ul className="alert-list">
          {alerts.map((alert) => (
            <li key={alert.id} className={`alert-list__item alert-list__item--${alert.kind}`}>
              {alert.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
