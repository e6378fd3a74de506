import { z } from 'zod';
import { userSchema } from '../api/people';

/** Who is signed in on this desk. The tokens themselves stay in the main process. */
export const sessionStateSchema = z.object({
  status: z.enum(['signed-in', 'signed-out']),
  user: userSchema.nullable(),
  /** True when the desk remembers the sign-in across restarts (encrypted by the operating system). */
  persistent: z.boolean(),
});
export type SessionState = z.infer<typeof sessionStateSchema>;

export const signInInputSchema = z.object({ email: z.string().trim().min(3).max(254), password: z.string().min(1).max(200) }).strict();

/** What the handler sees of sync: online or not, how much is waiting, and progress while catching up. */
export const syncStateSchema = z.object({
  status: z.enum(['online', 'offline', 'syncing', 'signed-out', 'error']),
  /** The handler's changes waiting to be sent. */
  pending: z.number().int().nonnegative(),
  /** The desk's reports of cases the handler opened, waiting to reach the central audit log (not changes). */
  reports: z.number().int().nonnegative(),
  progress: z.object({ done: z.number().int().nonnegative(), total: z.number().int().nonnegative() }).nullable(),
  lastSyncedAt: z.string().nullable(),
  problem: z.string().nullable(),
});
export type SyncState = z.infer<typeof syncStateSchema>;
