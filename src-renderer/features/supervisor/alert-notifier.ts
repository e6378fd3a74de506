import type { Notifier } from '../softphone/notifier';

type NotificationLike = {
  permission: NotificationPermission;
  requestPermission(): Promise<NotificationPermission>;
  new (title: string, options?: NotificationOptions): Pick<Notification, 'onclick'>;
};

/**
 * System notifications for the supervisor's alerts. Unlike an offer's, an alert does not demand interaction, and it
 * has its own tag: a newer alert replaces an older one, never a ringing call's notification.
 */
export function createAlertNotifier(NotificationImpl: NotificationLike | undefined = globalThis.Notification): Notifier {
  let asked = false;
  return {
    prepare() {
      if (!NotificationImpl || asked || NotificationImpl.permission !== 'default') return;
      asked = true;
      void NotificationImpl.requestPermission().catch(() => 'denied');
    },
    notify({ title, body, onClick }) {
      if (!NotificationImpl || NotificationImpl.permission !== 'granted') return;
      const notification = new NotificationImpl(title, { body, tag: 'care-desk-supervisor-alert' });
      notification.onclick = () => {
        window.focus();
        onClick?.();
      };
    },
  };
}
