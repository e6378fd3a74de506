import { z } from 'zod';
import { callSchema, handlerStatusSchema, offerSchema, queueFiguresSchema } from '../telephony/model';

/**
 * The desk's live link to the central API (offers, calls, handler states, queue figures), as the handler sees it.
 * `reason` is written for the handler; `nextRetryAt` lets the screen count down to the next attempt.
 */
export const liveConnectionStateSchema = z.object({
  state: z.enum(['connecting', 'connected', 'offline']),
  reason: z.string().nullable(),
  /** When the desk tries again (ISO 8601), while offline and retrying; null otherwise. */
  nextRetryAt: z.iso.datetime().nullable(),
  /** When it entered this state (ISO 8601). */
  since: z.iso.datetime(),
});
export type LiveConnectionState = z.infer<typeof liveConnectionStateSchema>;

/** What the live link has told the desk so far: the last snapshot with every later event applied. */
export const livePictureSchema = z.object({
  handlers: z.array(handlerStatusSchema),
  calls: z.array(callSchema),
  queues: z.array(queueFiguresSchema),
  offers: z.array(offerSchema),
  /** When the last snapshot was taken (ISO 8601); null before the first. */
  snapshotAt: z.iso.datetime().nullable(),
});
export type LivePictureState = z.infer<typeof livePictureSchema>;
