import { validateRequest } from 'twilio/lib/webhooks/webhooks';

/** A webhook's form parameters; a name sent more than once keeps every value, as Twilio signs them all. */
export type WebhookParams = Record<string, string | string[]>;

/** Reads an `application/x-www-form-urlencoded` body the way Twilio wrote it. */
export function parseWebhookForm(body: string): WebhookParams {
  const params: WebhookParams = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const previous = params[name];
    params[name] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return params;
}

/** One value of a parameter (the first, if it was sent twice), or undefined. */
export function param(params: WebhookParams, name: string): string | undefined {
  const value = params[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * True when `signature` is Twilio's for this request: HMAC-SHA1 with the auth token over the configured public
 * URL, the path and query exactly as received, and the sorted form parameters (the `twilio` package's own check).
 * The Host header and the scheme the request arrived on play no part: behind a proxy both are whatever the proxy
 * or the sender says.
 */
export function isSignedByTwilio(input: { authToken: string; publicUrl: string; pathAndQuery: string; params: WebhookParams; signature: string | undefined }): boolean {
  if (!input.signature) return false;
  return validateRequest(input.authToken, input.signature, `${input.publicUrl}${input.pathAndQuery}`, input.params);
}
