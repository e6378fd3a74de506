import type { LiveBus, LiveMessage } from './live-bus';

/**
 * The live bus within one API process (SQLite, the embedded API, tests): a plain fan-out. A listener that throws is
 * reported and never stops the others, so one broken socket cannot cost another desktop its offer.
 */
export function createInProcessBus(options: { onListenerError?: (error: unknown) => void } = {}): LiveBus & { listenerCount(): number } {
  const listeners = new Set<(message: LiveMessage) => void>();
  let closed = false;
  return {
    publish(message) {
      if (closed) return;
      deliver(listeners, message, options.onListenerError);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      listeners.clear();
    },
    listenerCount: () => listeners.size,
  };
}

/** Calls every listener with the message; a throwing listener is reported, the rest still run. */
export function deliver(listeners: Iterable<(message: LiveMessage) => void>, message: LiveMessage, onError?: (error: unknown) => void): void {
  for (const listener of [...listeners]) {
    try {
      listener(message);
    } catch (error) {
      onError?.(error);
    }
  }
}
