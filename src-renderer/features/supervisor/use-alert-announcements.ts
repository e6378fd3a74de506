import { useEffect, useRef, useState } from 'react';
import type { Notifier } from '../softphone/notifier';
import type { LiveAlert } from './live-figures';

interface Tracked {
  /** The ids of the alerts up, joined: it changes only when an alert is raised or cleared, not as clocks tick. */
  key: string;
  ids: ReadonlySet<string>;
  announcement: string;
  raised: readonly LiveAlert[];
}

/**
 * Announces each alert once, when it is raised: the returned text (for a `role="alert"` region) changes only when a
 * new alert appears, never on a tick that merely recounts the same ones, and a system notification goes out only
 * when the window is hidden. An alert that clears and is raised again later is announced again.
 */
export function useAlertAnnouncements(alerts: readonly LiveAlert[], options: { notifier: Notifier; isHidden: () => boolean }): string {
  const key = alerts.map((alert) => alert.id).join('\n');
  const [tracked, setTracked] = useState<Tracked>({ key: '', ids: new Set(), announcement: '', raised: [] });
  if (tracked.key !== key) {
    // Worked out while rendering (React's way to follow a changing prop), so the region and the list agree at once.
    const raised = alerts.filter((alert) => !tracked.ids.has(alert.id));
    const announcement = raised.length > 0 ? raised.map((alert) => alert.message).join(' ') : alerts.length === 0 ? '' : tracked.announcement;
    setTracked({ key, ids: new Set(alerts.map((alert) => alert.id)), announcement, raised });
  }
  const notified = useRef<Tracked | null>(null);
  const { notifier, isHidden } = options;
  useEffect(() => {
    if (notified.current === tracked || tracked.raised.length === 0) return;
    notified.current = tracked;
    const count = tracked.raised.length;
    if (isHidden()) notifier.notify({ title: count === 1 ? 'Care Connect: new alert' : `Care Connect: ${count} new alerts`, body: tracked.announcement });
  }, [tracked, notifier, isHidden]);
  return tracked.announcement;
}
