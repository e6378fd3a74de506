export type DeskView = 'desk' | 'inbox' | 'live' | 'reports' | 'moderation';

/**
 * Everyone switches between their own desk and the shared inbox; supervisors and admins also see the live view and the
 * reports (`supervisor`), and supervisors moderation.
 */
export function ViewSwitch({
  view,
  onChange,
  moderation = false,
  supervisor = true,
}: {
  view: DeskView;
  onChange(view: DeskView): void;
  /** Supervisors moderate; admins do not. */
  moderation?: boolean;
  /** False for a handler: only My desk and Inbox. */
  supervisor?: boolean;
}) {
  return (
    <nav className="view-switch" aria-label="Views">
      <button type="button" className="view-switch__button" aria-pressed={view === 'desk'} onClick={() => onChange('desk')}>
        My desk
      </button>
      <button type="button" className="view-switch__button" aria-pressed={view === 'inbox'} onClick={() => onChange('inbox')}>
        Inbox
      </button>
      {supervisor && (
        <>
          <button type="button" className="view-switch__button" aria-pressed={view === 'live'} onClick={() => onChange('live')}>
            Live view
          </button>
          <button type="button" className="view-switch__button" aria-pressed={view === 'reports'} onClick={() => onChange('reports')}>
            Reports
          </button>
        </>
      )}
      {moderation && (
        <button type="button" className="view-switch__button" aria-pressed={view === 'moderation'} onClick={() => onChange('moderation')}>
          Moderation
        </button>
      )}
    </nav>
  );
}

/** Whether this person may see the live view. */
export function supervises(role: string | undefined): boolean {
  return role === 'supervisor' || role === 'admin';
}
