import { z } from 'zod';

/**
 * RFC 9457 problem details, as the central API returns them (`application/problem+json`).
 * `errors` carries one entry per bad field, with a code a program can switch on and a message a person can act on.
 */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  errors: z
    .array(z.object({ pointer: z.string(), code: z.string(), message: z.string() }))
    .optional(),
});
export type Problem = z.infer<typeof problemSchema>;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * Problem type URIs: stable identifiers, relative to the API (RFC 9457 allows a relative reference), so each can
 * later be served as a page that explains it.
 */
export const problemTypes = {
  validation: '/problems/validation',
  notFound: '/problems/not-found',
  bodyTooLarge: '/problems/body-too-large',
  unsupportedMediaType: '/problems/unsupported-media-type',
  internal: '/problems/internal',
  http: '/problems/http',
  /** A desk's mutations arrived out of order: it must send from the id the problem's detail names. */
  syncGap: '/problems/sync-gap',
  /** The request clashes with what is stored (a name already taken, a contact already claimed). */
  conflict: '/problems/conflict',
} as const;
