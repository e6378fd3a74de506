import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { CASE_LIMITS } from '../../src-shared/domain/case-record';

/**
 * A generic social-media webhook: whatever watches the service's accounts (a social inbox product, a small relay)
 * posts each public mention and direct message here as JSON, signed like GitHub's webhooks: the header
 * `X-Intake-Signature: sha256=<hex>` is HMAC-SHA256 of the raw body with the shared secret.
 */
export const SOCIAL_SIGNATURE_HEADER = 'x-intake-signature';

export const socialInboundSchema = z
  .object({
    /** The network, in lower case: 'x', 'facebook', 'instagram'… */
    platform: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9-]{1,30}$/, { error: 'platform must be a short lower-case name, like "x" or "facebook".' }),
    kind: z.enum(['post', 'direct-message'], { error: 'kind must be "post" or "direct-message".' }),
    /** The network's id for the post or message: a redelivery with the same id is kept once. */
    id: z.string().trim().min(1, { error: 'id is required.' }).max(200),
    author: z
      .object({
        /** The network's stable id for the account; messages from it continue its open case. */
        id: z.string().trim().min(1, { error: 'author.id is required.' }).max(200),
        handle: z.string().trim().max(200).optional(),
        name: z.string().trim().max(CASE_LIMITS.callerName).optional(),
      })
      .strict(),
    text: z.string().trim().min(1, { error: 'text is required.' }).max(CASE_LIMITS.description, { error: `text can be at most ${CASE_LIMITS.description.toLocaleString('en-GB')} characters.` }),
    url: z.url({ protocol: /^https$/, error: 'url must be an https link to the post.' }).max(2000).optional(),
    at: z.iso.datetime({ error: 'at must be an ISO 8601 time, like 2026-11-21T09:00:00Z.' }).optional(),
  })
  .strict();
export type SocialInbound = z.output<typeof socialInboundSchema>;

/** True when `header` is `sha256=` and the HMAC-SHA256 of the raw body with the secret, in hex. */
export function isSignedBody(rawBody: Buffer, header: string | undefined, secret: string): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const given = Buffer.from(header.slice(7).trim(), 'hex');
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function signBody(rawBody: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}
