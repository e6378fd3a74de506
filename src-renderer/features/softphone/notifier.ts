/** A system notification, for an offer that rings while the window is hidden behind other work. */
export interface Notifier {
  /** Asks for permission, once; later calls do nothing. Call it while the handler is at the window. */
  prepare(): void;
  notify(message: { title: string; body: string; onClick?: () => void }): void;
}

export type NotificationLike = {
  permission: NotificationPermission;
  requestPermission(): Promise<NotificationPermission>;
  new (title: string, options?: NotificationOptions): Pick<Notification, 'onclick'>;
};

/** How one kind of notification behaves: its tag (a newer one replaces an older one with the same tag) and whether it stays until dealt with. */
export interface NotificationStyle {
  tag: string;
  requireInteraction: boolean;
}

/** A ringing call: one at a time, and it stays until the handler deals with it. */
export const OFFER_NOTIFICATION: NotificationStyle = { tag: 'care-desk-offer', requireInteraction: true };

/**
 * Notifications through the Notification API (Electron grants it; a browser asks). Permission is asked at most once
 * per window, never from a ringing call, so a refused prompt does not nag the handler on every offer.
 */
export function createBrowserNotifier(
  NotificationImpl: NotificationLike | undefined = globalThis.Notification,
  style: NotificationStyle = OFFER_NOTIFICATION,
): Notifier {
  let asked = false;
  return {
    prepare() {
      if (!NotificationImpl || asked || NotificationImpl.permission !== 'default') return;
      asked = true;
      void NotificationImpl.requestPermission().catch(() => 'denied');
    },
    notify({ title, body, onClick }) {
      if (!NotificationImpl || NotificationImpl.permission !== 'granted') return;
      // A fixed tag replaces an older notification of the same kind instead of stacking them.
      const notification = new NotificationImpl(title, { body, tag: style.tag, requireInteraction: style.requireInteraction });
      notification.onclick = () => {
        window.focus();
        onClick?.();
      };
    },
  };
}

/** Whether the window is out of sight (minimised, another tab, behind other windows on some systems). */
export function windowIsHidden(): boolean {
  return typeof document !== 'undefined' && document.visibilityState === 'hidden';
}
