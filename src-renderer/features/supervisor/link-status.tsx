import type { LiveConnectionState } from '../../../src-shared/contract/live';

/** Whether the figures are live: the state of the desk's live link to the central service. */
export function LinkStatus({ link }: { link: LiveConnectionState | null }) {
  const state = link?.state ?? 'connecting';
  const words = state === 'connected' ? 'Live' : state === 'connecting' ? 'Connecting…' : 'Not live';
  return (
    <p className={`link-status link-status--${state}`} role="status" data-testid="link-status">
      <span className="link-status__dot" aria-hidden="true" />
      <span>
        Live link: {words}
        {state !== 'connected' && link?.reason ? ` (${link.reason})` : ''}
        {state !== 'connected' ? '. The figures may be out of date; they are refreshed in full when the link is back.' : ''}
      </span>
    </p>
  );
}
