import { z } from 'zod';
import type { Result } from '../result';

/**
 * The browser-mode transport: the same requests and events as IPC, framed as JSON over one WebSocket.
 * The secret travels in the upgrade request, never in a frame.
 */
export const WS_PATH = '/contract';
export const WS_SECRET_PARAM = 'secret';

export const wsClientMessageSchema = z
  .object({
    type: z.literal('request'),
    id: z.number().int().nonnegative(),
    name: z.string().max(100),
    input: z.unknown(),
  })
  .strict();
export type WsClientMessage = z.infer<typeof wsClientMessageSchema>;

export type WsServerMessage =
  | { type: 'response'; id: number | null; result: Result<unknown> }
  | { type: 'event'; name: string; payload: unknown };
