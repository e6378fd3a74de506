import type { Api } from '../../../src-renderer/api';
import type { ApproveOutcome, ModerationQueueItem, ModerationView, Referral } from '../../../src-shared/contract/moderation';
import { findIdentifyingDetails, identifyingKindLabels, uncoveredDetails, type IdentifyingOverride } from '../../../src-shared/moderation/identifying-details';
import { fail, ok, type Result } from '../../../src-shared/result';
import { fakeApi } from '../fake-api';

/** A feedback case as the fake API holds it. */
export interface FakeCase {
  id: string;
  reference: string;
  callerName: string | null;
  callerWords: string;
  needsSecondModeration?: boolean;
  createdAt?: string;
}

/**
 * The desk's contract for the moderation screen, answered the way the central API decides: the shared finder (with
 * the caller's name known) refuses details no override covers, a flagged case needs a second, different moderator,
 * and the caller's words are never accepted as the moderated description. `actAs` says who is signed in.
 */
export function fakeModerationApi(cases: FakeCase[], options: { userId?: string; userName?: string } = {}) {
  const base = fakeApi();
  let user = { id: options.userId ?? 'priya', name: options.userName ?? 'Priya Shah' };
  const views = new Map<string, ModerationView>();
  const referrals = new Map<string, Referral[]>();
  for (const c of cases) {
    views.set(c.id, {
      case: { id: c.id, reference: c.reference, type: 'feedback', status: 'open', category: 'staff-attitude', providerId: 'provider-rj7', department: null, createdAt: c.createdAt ?? '2026-03-10T09:00:00.000Z', publishConsent: true, needsSecondModeration: c.needsSecondModeration ?? false },
      providerName: 'St George’s Hospital',
      callerWords: c.callerWords,
      callerWordsHighlights: findIdentifyingDetails(c.callerWords, { knownNames: [c.callerName] }),
      state: 'new',
      draft: '',
      draftHighlights: [],
      approvedText: null,
      overrides: [],
      firstModerator: null,
      secondModerator: null,
      reason: null,
      publication: null,
      providerResponse: null,
    });
  }
  const nameOf = (caseId: string) => cases.find((c) => c.id === caseId)?.callerName ?? null;
  const at = '2026-03-10T10:00:00.000Z';

  function check(caseId: string, text: string, overrides: IdentifyingOverride[]): ApproveOutcome | null {
    const spans = findIdentifyingDetails(text.trim(), { knownNames: [nameOf(caseId)] });
    const uncovered = uncoveredDetails(spans, overrides);
    if (uncovered.length === 0) return null;
    return {
      outcome: 'details-remain',
      message: `The text still contains identifying details. Remove ${uncovered.length === 1 ? 'this detail' : `these ${uncovered.length} details`}, or override each with the reason it may be published.`,
      details: uncovered.map((span) => ({ ...span, message: `${identifyingKindLabels[span.kind]} “${span.text}” (characters ${span.start + 1} to ${span.end})` })),
    };
  }

  const handlers = {
    queue(state: string): Result<{ items: ModerationQueueItem[] }> {
      const pending = (v: ModerationView) => v.state === 'new' || v.state === 'draft' || v.state === 'awaiting-second';
      const items = [...views.values()]
        .filter((v) => state === 'all' || (state === 'pending' ? pending(v) : v.state === state))
        .sort((a, b) => a.case.createdAt.localeCompare(b.case.createdAt))
        .map((v) => ({
          caseId: v.case.id,
          reference: v.case.reference,
          providerId: v.case.providerId,
          providerName: v.providerName,
          category: v.case.category,
          createdAt: v.case.createdAt,
          state: v.state,
          needsSecondModeration: v.case.needsSecondModeration,
          firstModeratorId: v.firstModerator?.id ?? null,
          firstModeratorName: v.firstModerator?.name ?? null,
          updatedAt: null,
        }));
      return ok({ items });
    },
    approve(caseId: string, text: string, overrides: IdentifyingOverride[]): Result<ApproveOutcome> {
      const view = views.get(caseId)!;
      if (text.trim() === view.callerWords.trim()) return fail('invalid-input', 'The moderated description is the caller’s own words, which are never published. Write it in your own words.');
      const refused = check(caseId, text, overrides);
      if (refused) return ok(refused);
      const me = { ...user, at };
      if (view.case.needsSecondModeration) {
        if (view.state === 'awaiting-second' && view.approvedText === text.trim()) {
          if (view.firstModerator?.id === user.id) return fail('forbidden', 'A second moderator must approve this case. You approved it first; another supervisor must approve the same text.');
          views.set(caseId, { ...view, state: 'published', secondModerator: me, publication: { publicId: 'pub-1', publishedAt: at, description: text.trim(), response: null } });
          return ok({ outcome: 'approved', state: 'published', publicId: 'pub-1' });
        }
        views.set(caseId, { ...view, state: 'awaiting-second', approvedText: text.trim(), draft: text.trim(), firstModerator: me });
        return ok({ outcome: 'approved', state: 'awaiting-second', publicId: null });
      }
      views.set(caseId, { ...view, state: 'published', approvedText: text.trim(), draft: text.trim(), firstModerator: me, publication: { publicId: 'pub-1', publishedAt: at, description: text.trim(), response: null } });
      return ok({ outcome: 'approved', state: 'published', publicId: 'pub-1' });
    },
  };

  const api: Api = {
    ...base.api,
    async request(name, input) {
      const args = input as { caseId: string; state: string; text: string; overrides: IdentifyingOverride[]; reason: string; mode: 'link' | 'summary' };
      const answer = (): Result<unknown> => {
        switch (name) {
          case 'moderation.queue':
            return handlers.queue(args.state);
          case 'moderation.get': {
            const view = views.get(args.caseId);
            return view ? ok(view) : fail('not-found', 'No such case in your teams');
          }
          case 'moderation.saveDraft': {
            const view = views.get(args.caseId)!;
            views.set(args.caseId, { ...view, state: view.state === 'new' ? 'draft' : view.state, draft: args.text });
            return ok({ state: views.get(args.caseId)!.state, draftHighlights: findIdentifyingDetails(args.text, { knownNames: [nameOf(args.caseId)] }) });
          }
          case 'moderation.approve':
            return handlers.approve(args.caseId, args.text, args.overrides);
          case 'moderation.reject': {
            const view = views.get(args.caseId)!;
            views.set(args.caseId, { ...view, state: 'rejected', reason: args.reason });
            return ok({ state: 'rejected', withdrawn: view.state === 'published' });
          }
          case 'referrals.list':
            return ok({ items: referrals.get(args.caseId) ?? [] });
          case 'referrals.send': {
            const referral: Referral = { id: `ref-${(referrals.get(args.caseId)?.length ?? 0) + 1}`, caseId: args.caseId, providerId: 'provider-rj7', mode: args.mode, sentAt: at, expiresAt: '2026-04-07T10:00:00.000Z', revokedAt: null, firstOpenedAt: null, acknowledgedAt: null, addressedAt: null };
            referrals.set(args.caseId, [referral, ...(referrals.get(args.caseId) ?? []).map((r) => ({ ...r, revokedAt: r.revokedAt ?? at }))]);
            return ok(referral);
          }
          default:
            return null as never;
        }
      };
      const result = answer();
      if (result === null) return (await base.api.request(name, input)) as never;
      base.calls.push({ name, input });
      return result as never;
    },
  };

  return {
    api,
    calls: base.calls,
    views,
    referrals,
    actAs(next: { id: string; name: string }) {
      user = next;
    },
  };
}
