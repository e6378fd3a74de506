import type { CaseEvent } from '../../../src-shared/contract/cases';
import type { Channel } from '../../../src-shared/domain/case-types';

/** The value of a 'message' event as the central API records it. */
export interface MessageValue {
  direction: 'inbound' | 'outbound';
  channel: Channel;
  subject?: string;
  socialKind?: 'post' | 'direct-message';
  platform?: string;
  url?: string;
  attachmentsNotKept?: number;
}

export function messageValue(event: CaseEvent): MessageValue | null {
  if (event.kind !== 'message' || !event.newValue || typeof event.newValue !== 'object') return null;
  const value = event.newValue as Partial<MessageValue>;
  if (value.direction !== 'inbound' && value.direction !== 'outbound') return null;
  return { ...value, direction: value.direction, channel: (value.channel ?? 'web') as Channel };
}

/** Whether the author is a provider answering through its link (`provider:<id>`), not a person with an account. */
export function isProviderAuthor(event: CaseEvent): boolean {
  return event.authorId.startsWith('provider:');
}

/** Who wrote the event, as the timeline names them. */
export function authorLabel(event: CaseEvent): string {
  return isProviderAuthor(event) ? `${event.authorName} (provider)` : event.authorName;
}

function step(event: CaseEvent): Record<string, unknown> {
  return event.newValue && typeof event.newValue === 'object' ? (event.newValue as Record<string, unknown>) : {};
}

/** A moderation step in words. */
export function moderationWords(event: CaseEvent): string {
  const value = step(event);
  switch (value.step) {
    case 'draft-saved':
      return 'Saved a draft of the moderated description.';
    case 'approved': {
      const tier = value.tier === 2 ? 'as second moderator' : 'as first moderator';
      const overrides = Array.isArray(value.overrides) && value.overrides.length > 0 ? `, keeping ${value.overrides.length} flagged detail${value.overrides.length === 1 ? '' : 's'} with a reason` : '';
      const second = value.needsSecond ? '; a second moderator must approve it too' : '';
      return `Approved the moderated description ${tier}${overrides}${second}.`;
    }
    case 'published':
      return 'Published the moderated feedback.';
    case 'response-published':
      return 'Published the provider’s response.';
    case 'rejected':
      return value.withdrawn ? 'Withdrew the published feedback.' : 'Decided not to publish this feedback.';
    default:
      return 'Moderation step recorded.';
  }
}

/** A provider step in words. */
export function providerWords(event: CaseEvent): string {
  const value = step(event);
  switch (value.step) {
    case 'sent':
      return value.mode === 'summary' ? 'Sent the moderated summary to the provider by email.' : 'Sent the case to the provider with a secure link.';
    case 'opened':
      return 'The provider opened the case.';
    case 'acknowledged':
      return 'The provider acknowledged the case.';
    case 'responded':
      return 'The provider responded.';
    case 'addressed':
      return value.publishable ? 'The provider says the matter is addressed, and its response may be published.' : 'The provider says the matter is addressed.';
    case 'revoked':
      return 'The provider’s link was withdrawn.';
    default:
      return 'Provider step recorded.';
  }
}

/** m:ss, or h:mm:ss past an hour: how long a caller waited, talked or was held. */
function duration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

const between = (from: unknown, to: unknown): number | null =>
  typeof from === 'string' && typeof to === 'string' ? Date.parse(to) - Date.parse(from) : null;

/**
 * A phone call recorded on the case, in one line: which way, how long the caller waited, talked and was held, and
 * how it ended ("Call from the caller: answered after 0:14, talked 3:02 (0:20 on hold). Information given.").
 */
export function callWords(event: CaseEvent, dispositionLabel?: (id: string) => string | undefined): string {
  const value = step(event);
  const parts: string[] = [];
  const wait = between(value.offeredAt, value.answeredAt);
  if (value.answeredAt) parts.push(wait === null ? 'answered' : `answered after ${duration(wait)}`);
  else if (typeof value.outcome === 'string') parts.push(value.outcome.replaceAll('-', ' '));
  const talk = between(value.answeredAt, value.endedAt);
  if (talk !== null) {
    const held = typeof value.heldMs === 'number' && value.heldMs > 0 ? ` (${duration(value.heldMs)} on hold)` : '';
    parts.push(`talked ${duration(talk)}${held}`);
  }
  const way = value.direction === 'outbound' ? 'Call to the caller' : 'Call from the caller';
  const disposition = typeof value.dispositionId === 'string' ? (dispositionLabel?.(value.dispositionId) ?? value.dispositionId.replaceAll('-', ' ')) : null;
  const ending = disposition ? ` ${disposition.charAt(0).toUpperCase()}${disposition.slice(1)}.` : '';
  return parts.length ? `${way}: ${parts.join(', ')}.${ending}` : `${way} recorded.${ending}`;
}

const channelWords: Partial<Record<Channel, string>> = { web: 'the web form', sms: 'SMS', email: 'email', social: 'social media', phone: 'phone' };

/** One line for a message in the case history (the conversation shows it in full). */
export function messageWords(event: CaseEvent): string {
  const value = messageValue(event);
  if (!value) return 'Message.';
  const by = channelWords[value.channel] ?? value.channel;
  return value.direction === 'inbound' ? `Message from the patient by ${by}.` : `Reply sent by ${by}.`;
}
