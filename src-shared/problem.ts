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

/** Problem type URIs are stable identifiers documented in the OpenAPI description. */
export const problemTypes = {
  validation: 'https://care-connect-desk.org/problems/validation',
  notFound: 'https://care-connect-desk.org/problems/not-found',
  bodyTooLarge: 'https://care-connect-desk.org/problems/body-too-large',
  unsupportedMediaType: 'https://care-connect-desk.org/problems/unsupported-media-type',
  internal: 'https://care-connect-desk.org/problems/internal',
  http: 'https://care-connect-desk.org/problems/http',
} as const;
