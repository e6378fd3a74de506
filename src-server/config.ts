import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { DEFAULT_BODY_LIMIT_BYTES } from './app';

/** The central API's settings, from the environment, checked once at start with a clear message per bad value. */
export const serverConfigSchema = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(DEFAULT_BODY_LIMIT_BYTES),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** postgres://… to use PostgreSQL; without it the store is an SQLite file. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'DATABASE_URL must be a postgres:// URL' }).optional(),
  SQLITE_PATH: z.string().min(1).default('care-desk-central.sqlite3'),
  /**
   * `off` for an instance that serves sync, sign-in and the rest but not calls: one instance on a database has the
   * phone line (routing lives in its memory), and `/live`, `/telephony/` and `/twilio/` go to it.
   */
  PHONE_LINE: z.enum(['on', 'off'], { error: 'PHONE_LINE must be on or off' }).default('on'),
  /** The secret that signs access tokens: at least 32 random bytes, as hex or base64. Every instance needs the same. */
  TOKEN_SECRET: z.string().min(43, 'TOKEN_SECRET must be at least 32 random bytes, written as hex or base64').optional(),
  /**
   * The load balancer or proxies in front of the API: their addresses or CIDR ranges, comma-separated
   * (`10.0.0.0/8,127.0.0.1`), or how many hops to believe (`1`). Unset: no proxy, the peer's address is the caller's.
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .regex(/^(\d+|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/, 'TRUST_PROXY must be a hop count (1) or addresses and CIDR ranges, comma-separated')
    .transform((value) => (/^\d+$/.test(value) ? Number(value) : value.split(',').map((part) => part.trim())))
    .optional(),
});
export type ServerConfig = z.infer<typeof serverConfigSchema>;

export function readServerConfig(env: NodeJS.ProcessEnv): ServerConfig {
  const parsed = serverConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`The central API's settings are not valid:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** The token secret from the settings, or a random one for this process (tokens then end when it stops). */
export function tokenSecret(config: ServerConfig): { secret: Buffer; generated: boolean } {
  if (!config.TOKEN_SECRET) return { secret: randomBytes(32), generated: true };
  const text = config.TOKEN_SECRET;
  return { secret: /^[0-9a-f]+$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64'), generated: false };
}
