import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { CASE_LIMITS } from '../../src-shared/domain/case-record';
import { validateReference } from '../../src-shared/domain/reference-number';

/**
 * The inbound email webhook takes Postmark's inbound JSON (https://postmarkapp.com/developer/webhooks/inbound-webhook):
 * the fields below are the ones used; any others Postmark sends are ignored. Postmark authenticates its webhook with
 * HTTP Basic credentials in the webhook URL (https://intake:SECRET@api.example.org/intake/email), so the password must
 * be the configured secret. A 403 tells Postmark to stop retrying; any other failure it retries.
 */
export const postmarkInboundSchema = z
  .object({
    FromFull: z.object({ Email: z.string().max(320), Name: z.string().max(300).optional().default('') }).loose(),
    Subject: z.string().max(2000).optional().default(''),
    /** Postmark's own id for the message: what makes a redelivery recognisable. */
    MessageID: z.string().min(1).max(200),
    TextBody: z.string().optional().default(''),
    HtmlBody: z.string().optional().default(''),
    /** The reply without the quoted conversation under it, when Postmark could find where that starts. */
    StrippedTextReply: z.string().optional().default(''),
    Headers: z.array(z.object({ Name: z.string(), Value: z.string() }).loose()).max(500).optional().default([]),
    Attachments: z.array(z.object({ Name: z.string().optional() }).loose()).max(100).optional().default([]),
  })
  .loose();
export type PostmarkInbound = z.output<typeof postmarkInboundSchema>;

/** True when the request carries HTTP Basic credentials whose password is the secret (any user name). */
export function hasBasicSecret(authorization: string | undefined, secret: string): boolean {
  if (!authorization?.startsWith('Basic ')) return false;
  const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  // Compared as digests, so the comparison takes the same time whatever the lengths.
  const given = createHash('sha256').update(decoded.slice(colon + 1)).digest();
  const expected = createHash('sha256').update(secret).digest();
  return timingSafeEqual(given, expected);
}

const REFERENCE_IN_TEXT = /\bCC[-\s]?[0-9A-Z]{4}[-\s]?[0-9A-Z]{4}\b/gi;

/** The first valid case reference in a subject line ("Re: Your contact [CC-7K3M-9QXP]"), canonical, or null. */
export function referenceInSubject(subject: string): string | null {
  for (const match of subject.matchAll(REFERENCE_IN_TEXT)) {
    const checked = validateReference(match[0]);
    if (checked.ok) return checked.reference;
  }
  return null;
}

/** A rough text version of an HTML-only email: enough for a handler to read, never rendered as HTML. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|tr|h[1-6])>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * The words of the message to keep: the reply without the quoted thread when it continues a case, else the whole
 * text. A message longer than a case's description is kept up to that length, with a line saying how much was not.
 */
export function messageText(email: PostmarkInbound, continuing: boolean): string {
  const text = (continuing && email.StrippedTextReply.trim() ? email.StrippedTextReply : email.TextBody.trim() ? email.TextBody : htmlToText(email.HtmlBody)).trim();
  const limit = CASE_LIMITS.description - 100;
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}\n\n[The rest of this email, ${(text.length - limit).toLocaleString('en-GB')} characters, was not kept.]`;
}

/** The message's own Message-ID header, for replying in the same thread in the patient's mail client. */
export function messageIdHeader(email: PostmarkInbound): string | null {
  const header = email.Headers.find((h) => h.Name.toLowerCase() === 'message-id');
  return header?.Value.trim() || null;
}

/** An event id from the provider's message id: fixed length, and no address from a Message-ID in it. */
export function emailEventId(messageId: string): string {
  return `email:${createHash('sha256').update(messageId).digest('hex').slice(0, 32)}`;
}

/** The subject of a reply: the reference in brackets, so the patient's answer threads back to the case. */
export function replySubject(reference: string, lastSubject: string | undefined): string {
  const base = (lastSubject ?? '').replace(/^\s*((re|fw|fwd)\s*:\s*)+/i, '').trim();
  const withoutReference = base.replace(REFERENCE_IN_TEXT, '').replace(/\[\s*\]/g, '').trim();
  return `Re: ${withoutReference || 'Your message to Care Connect'} [${reference}]`;
}
