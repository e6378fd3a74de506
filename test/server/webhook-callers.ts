import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { SOCIAL_SIGNATURE_HEADER, signBody } from '../../src-server/intake/social-inbound';

/** The secrets an API under test was started with, to sign (or leave unsigned) what its webhooks receive. */
export interface WebhookSecrets {
  /** The address Twilio signs its callbacks with (the API's public URL). */
  publicUrl: string;
  twilioAuthToken: string;
  emailSecret: string;
  socialSecret: string;
}

/**
 * Posts to the API's webhooks as Twilio, the mail provider and the social network do. A signature or password left
 * out is made from the secrets; `null` sends none, a string sends that one (a wrong one, say).
 */
export function webhookCallers(base: string, secrets: WebhookSecrets) {
  return {
    twilioWebhook(pathAndQuery: string, params: Record<string, string>, signature?: string | null): Promise<Response> {
      const signed = signature === undefined ? getExpectedTwilioSignature(secrets.twilioAuthToken, `${secrets.publicUrl}${pathAndQuery}`, params) : signature;
      return fetch(`${base}${pathAndQuery}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signed !== null ? { 'x-twilio-signature': signed } : {}) },
        body: new URLSearchParams(params).toString(),
      });
    },
    emailWebhook(payload: unknown, password: string | null = secrets.emailSecret): Promise<Response> {
      return fetch(`${base}/intake/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(password !== null ? { authorization: `Basic ${Buffer.from(`postmark:${password}`).toString('base64')}` } : {}) },
        body: JSON.stringify(payload),
      });
    },
    socialWebhook(payload: unknown, signature?: string | null): Promise<Response> {
      const body = JSON.stringify(payload);
      const signed = signature === undefined ? signBody(body, secrets.socialSecret) : signature;
      return fetch(`${base}/intake/social`, { method: 'POST', headers: { 'content-type': 'application/json', ...(signed !== null ? { [SOCIAL_SIGNATURE_HEADER]: signed } : {}) }, body });
    },
  };
}
