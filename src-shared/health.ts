import { z } from 'zod';

/** What the central API's `/health` answers. Shared so the desktop parses exactly what the server sends. */
export const apiHealthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  uptimeSeconds: z.number().nonnegative(),
  time: z.iso.datetime(),
});
export type ApiHealth = z.infer<typeof apiHealthSchema>;

/** How the desktop sees the central API right now. */
export const centralHealthSchema = z.object({
  state: z.enum(['online', 'offline', 'checking']),
  url: z.string(),
  checkedAt: z.iso.datetime().nullable(),
  latencyMs: z.number().nonnegative().nullable(),
  serverVersion: z.string().nullable(),
  /** Why the last check failed, in words for the handler; null when online. */
  problem: z.string().nullable(),
});
export type CentralHealth = z.infer<typeof centralHealthSchema>;
