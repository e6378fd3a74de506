import type { EventName, EventPayload } from '../../src-shared/contract/desktop-contract';

export type EventListener = <N extends EventName>(name: N, payload: EventPayload<N>) => void;

/**
 * Fan-out of contract events from the core to whichever transports are attached (Electron windows, browser-mode
 * sockets). A listener that throws is logged by the caller's wrapper and never stops the others.
 */
export function createEventHub(onListenerError: (error: unknown) => void) {
  const listeners = new Set<EventListener>();
  return {
    subscribe(listener: EventListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit<N extends EventName>(name: N, payload: EventPayload<N>): void {
      for (const listener of listeners) {
        try {
          listener(name, payload);
        } catch (error) {
          onListenerError(error);
        }
      }
    },
  };
}

export type EventHub = ReturnType<typeof createEventHub>;
