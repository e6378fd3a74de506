export type DeskView = 'desk' | 'live' | 'reports';

/** Supervisors and admins switch between their own desk, the live view and the reports; handlers never see this. */
export function ViewSwitch({ view, onChange }: { view: DeskView; onChange(view: DeskView): void }) {
  return (
    <nav className="view-switch" aria-label="Views">
      <button type="button" className="view-switch__button" aria-pressed={view === 'desk'} onClick={() => onChange('desk')}>
        My desk
      </button>
      <button type="button" className="view-switch__button" aria-pressed={view === 'live'} onClick={() => onChange('live')}>
        Live view
      </button>
      <button type="button" className="view-switch__button" aria-pressed={view === 'reports'} onClick={() => onChange('reports')}>
        Reports
      </button>
    </nav>
  );
}

/** Whether this person may see the live view. */
export function supervises(role: string | undefined): boolean {
  return role === 'supervisor' || role === 'admin';
}
