import type { LiveEvent } from '../../src-shared/telephony/model';

/**
 * Who may receive a live event. Handlers get their own offers and calls and the figures of their queues;
 * supervisors and admins get everything of their teams. `teamIds: null` means every team.
 */
export interface LiveAudience {
  /** Only this user (an offer, a handler's own call), or anyone matching the rest when null. */
  userId: string | null;
  teamIds: string[] | null;
  /** Lowest role that may see it: 'handler' (everyone) or 'supervisor' (supervisors and admins only). */
  minRole: 'handler' | 'supervisor';
}

export interface LiveMessage {
  event: LiveEvent;
  audience: LiveAudience;
}

/**
 * Carries live events from whatever raised them (the routing engine) to every WebSocket connected to any API
 * instance. In one process it is a plain fan-out; with several instances on one PostgreSQL it goes through
 * LISTEN/NOTIFY so an event raised on one instance reaches a desktop connected to another.
 */
export interface LiveBus {
  publish(message: LiveMessage): void;
  /** Returns a function that unsubscribes. */
  subscribe(listener: (message: LiveMessage) => void): () => void;
  /**
   * Optional: tells listeners that messages may have been missed (the bus lost its link to the other instances and
   * got it back), so the live socket sends every desktop a fresh snapshot. Returns a function that unsubscribes.
   */
  onGap?(listener: () => void): () => void;
  close(): Promise<void>;
}
