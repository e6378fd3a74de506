import { createBrowserNotifier, type NotificationLike, type Notifier } from '../softphone/notifier';

/**
 * System notifications for the supervisor's alerts. Unlike an offer's, an alert does not demand interaction, and it
 * has its own tag: a newer alert replaces an older one, never a ringing call's notification.
 */
export function createAlertNotifier(NotificationImpl: NotificationLike | undefined = globalThis.Notification): Notifier {
  return createBrowserNotifier(NotificationImpl, { tag: 'care-desk-supervisor-alert', requireInteraction: false });
}
