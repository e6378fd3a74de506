import type { Call, HandlerStatus, LiveEvent, Offer, QueueFigures } from '../../../src-shared/telephony/model';

export interface LivePicture {
  handlers: HandlerStatus[];
  calls: Call[];
  queues: QueueFigures[];
  /** Offers ringing at this desk now. */
  offers: Offer[];
  /** When the last snapshot was taken at the server, or null before the first. */
  snapshotAt: string | null;
}

/** Calls in these states are over; the picture forgets them so it does not grow all day. */
const finished = new Set<Call['state']>(['completed', 'abandoned']);

/**
 * What the desk currently knows from live events: the last snapshot with every later event applied. A snapshot
 * replaces everything, so after a reconnect nothing the desk missed can linger (a call that ended while it was
 * away disappears with the snapshot that no longer has it).
 */
export function createLivePicture() {
  let handlers = new Map<string, HandlerStatus>();
  let calls = new Map<string, Call>();
  let queues = new Map<string, QueueFigures>();
  let offers = new Map<string, Offer>();
  let snapshotAt: string | null = null;

  function putCall(call: Call): void {
    if (finished.has(call.state)) calls.delete(call.id);
    else calls.set(call.id, call);
    if (call.state !== 'offered') offers.delete(call.id);
  }

  return {
    apply(event: LiveEvent): void {
      switch (event.type) {
        case 'snapshot':
          handlers = new Map(event.handlers.map((handler) => [handler.handlerId, handler]));
          calls = new Map();
          for (const call of event.calls) if (!finished.has(call.state)) calls.set(call.id, call);
          queues = new Map(event.queues.map((queue) => [queue.queueId, queue]));
          // An offer still ringing is in the snapshot's calls; its offer event, if missed, is gone with the gap.
          offers = new Map([...offers].filter(([callId]) => calls.get(callId)?.state === 'offered'));
          snapshotAt = event.at;
          return;
        case 'offer':
          offers.set(event.offer.call.id, event.offer);
          putCall(event.offer.call);
          return;
        case 'offer.withdrawn':
          offers.delete(event.callId);
          return;
        case 'call':
          putCall(event.call);
          return;
        case 'handler':
          handlers.set(event.handler.handlerId, event.handler);
          return;
        case 'queue':
          queues.set(event.figures.queueId, event.figures);
          return;
        case 'changes':
          return;
      }
    },
    current(): LivePicture {
      return { handlers: [...handlers.values()], calls: [...calls.values()], queues: [...queues.values()], offers: [...offers.values()], snapshotAt };
    },
    clear(): void {
      handlers = new Map();
      calls = new Map();
      queues = new Map();
      offers = new Map();
      snapshotAt = null;
    },
  };
}

export type LivePictureStore = ReturnType<typeof createLivePicture>;
