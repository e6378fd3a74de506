import type { ModerationQueueFilter, ModerationState, ModerationView } from '../../../src-shared/contract/moderation';
import { categoryLabels, type Category } from '../../../src-shared/domain/categories';

export const moderationStateLabels: Record<ModerationState, string> = {
  new: 'Not started',
  draft: 'Draft saved',
  'awaiting-second': 'Needs a second moderator',
  published: 'Published',
  rejected: 'Rejected',
};

export const queueFilterLabels: Record<ModerationQueueFilter, string> = {
  pending: 'To moderate',
  published: 'Published',
  rejected: 'Rejected',
  all: 'All',
};

export function categoryLabel(category: string | null): string {
  return category && category in categoryLabels ? categoryLabels[category as Category] : 'No category yet';
}

const dateTime = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' });

/** "12 Mar 2026, 09:30", London time. */
export function formatWhen(iso: string | null): string {
  if (!iso) return '';
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? '' : dateTime.format(at);
}

/**
 * Where the case stands with its moderators, in a sentence: who approved it, whether a second (different) moderator is
 * needed and whether that could be the person reading.
 */
export function moderatorStatus(view: ModerationView, userId: string | null): string {
  const first = view.firstModerator;
  switch (view.state) {
    case 'awaiting-second':
      if (!first) return 'Approved once; needs a second moderator.';
      return first.id === userId
        ? `Approved once by ${first.name} (you); needs a second moderator. Another supervisor must approve the same text.`
        : `Approved once by ${first.name}; needs a second moderator. Approve the same text to publish it.`;
    case 'published': {
      const by = [first?.name, view.secondModerator?.name].filter(Boolean).join(' and ');
      return `Published${by ? `, approved by ${by}` : ''}${view.publication ? ` on ${formatWhen(view.publication.publishedAt)}` : ''}.`;
    }
    case 'rejected':
      return `Rejected${view.reason ? `: ${view.reason}` : ''}. It is not in the public feed.`;
    case 'new':
    case 'draft':
      return view.case.needsSecondModeration
        ? 'This case needs two moderators: once you approve it, another supervisor must approve the same text before it is published.'
        : 'One moderator’s approval publishes it.';
  }
}
