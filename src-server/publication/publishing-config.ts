import type { EmailSender } from '../intake/outbound';

/**
 * What moderation, publication and the provider links need from outside. Moderation, the public feed and Open311
 * need nothing and are always on; sending a case to its provider needs the public address the links point at and a
 * mail sender, and says which is missing (503) when one is not set.
 */
export interface PublishingDeps {
  /** The address providers reach this API at (https://care-line.example.org), or a function giving it once known. */
  publicBaseUrl?: string | (() => string | null) | null;
  /** Sends the provider's email (the intake's SMTP sender). */
  providerEmail?: EmailSender | null;
  /** How long a provider's link works (default 28 days). */
  linkTtlMs?: number;
  /** Requests per address to the public feed and Open311 (default 120 a minute). */
  publicRateLimit?: { limit: number; windowMs: number };
  /** Requests per address to the provider pages (default 30 in 10 minutes). */
  providerRateLimit?: { limit: number; windowMs: number };
}

export const DEFAULT_PUBLIC_RATE_LIMIT = { limit: 120, windowMs: 60 * 1000 } as const;
export const DEFAULT_PROVIDER_RATE_LIMIT = { limit: 30, windowMs: 10 * 60 * 1000 } as const;

/** The public base URL now, without a trailing slash; null when not set. */
export function publicBaseUrlOf(deps: PublishingDeps): string | null {
  const value = typeof deps.publicBaseUrl === 'function' ? deps.publicBaseUrl() : deps.publicBaseUrl;
  return value ? value.replace(/\/+$/, '') : null;
}

/**
 * The settings from the environment: `PUBLIC_URL` (https://, or http:// on loopback) for provider links, and the
 * intake's SMTP sender for their emails. Throws with the problem when the address is not usable.
 */
export function publishingFromEnv(env: Record<string, string | undefined>, providerEmail: EmailSender | null): PublishingDeps {
  const base = env.PUBLIC_URL?.trim() || null;
  if (base) {
    let url: URL | null = null;
    try {
      url = new URL(base);
    } catch {
      url = null;
    }
    const loopback = url?.hostname === '127.0.0.1' || url?.hostname === 'localhost';
    if (!url || !(url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) || url.search || url.hash) {
      throw new Error('PUBLIC_URL must be the https:// address this API is reached at, like https://care-line.example.org');
    }
  }
  return { publicBaseUrl: base, providerEmail };
}
