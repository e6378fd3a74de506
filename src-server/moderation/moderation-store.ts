import { randomBytes } from 'node:crypto';
import { findIdentifyingDetails, uncoveredDetails, type IdentifyingOverride, type IdentifyingSpan } from '../../src-shared/moderation/identifying-details';
import type { Actor, CentralStore, ServerCase } from '../store/central-store';
import { StoreRefusal } from '../store/central-store';
import type { Database } from '../store/schema';
import { sql } from 'kysely';
import { createCaseTimeline, moderationEventKind, publishConsentSql, rowToCase, type Tx } from './case-timeline';

/**
 * Where a case is in moderation. 'new': publishable feedback no one has touched yet (it has no row). 'draft': a
 * moderator has saved a moderated description. 'awaiting-second': approved once, and the case needs a second,
 * different moderator. 'published': the approved description is in the public feed. 'rejected': a moderator decided
 * it is not to be published (or withdrew it).
 */
export type ModerationState = 'new' | 'draft' | 'awaiting-second' | 'published' | 'rejected';

/** The steps recorded on the case's timeline as 'moderation' events, in `value.step`. */
export type ModerationStep = 'draft-saved' | 'approved' | 'published' | 'response-published' | 'rejected';

export interface ModerationQueueItem {
  caseId: string;
  reference: string;
  providerId: string | null;
  category: string | null;
  createdAt: string;
  state: ModerationState;
  needsSecondModeration: boolean;
  firstModeratorId: string | null;
  firstModeratorName: string | null;
  updatedAt: string | null;
}

export interface ModerationView {
  case: { id: string; reference: string; type: string; status: string; category: string | null; providerId: string | null; department: string | null; createdAt: string; publishConsent: boolean; needsSecondModeration: boolean };
  /** The caller's own words, for the moderator to read beside the moderated description. Never published. */
  callerWords: string;
  callerWordsHighlights: IdentifyingSpan[];
  state: ModerationState;
  draft: string;
  draftHighlights: IdentifyingSpan[];
  approvedText: string | null;
  overrides: IdentifyingOverride[];
  firstModerator: { id: string; name: string; at: string } | null;
  secondModerator: { id: string; name: string; at: string } | null;
  reason: string | null;
  publication: { publicId: string; publishedAt: string; description: string; response: string | null } | null;
  /** The provider's latest response that it agreed may be published, waiting for a moderator. */
  providerResponse: { text: string; at: string; highlights: IdentifyingSpan[] } | null;
}

/** The longest moderated description: Open311 limits a description to 4,000 characters. */
export const MODERATED_TEXT_LIMIT = 4_000;

/** Made when a text cannot be approved because it still holds details no override covers. */
export class IdentifyingDetailsRemain extends Error {
  constructor(readonly spans: IdentifyingSpan[]) {
    super('The moderated text still contains identifying details.');
    this.name = 'IdentifyingDetailsRemain';
  }
}

function rowState(row: Database['moderations'] | undefined): ModerationState {
  if (!row) return 'new';
  return row.state === 'withdrawn' ? 'rejected' : (row.state as ModerationState);
}

/** A public id for a publication: random, so it says nothing about the case, its reference or how many there are. */
function newPublicId(): string {
  return randomBytes(9).toString('base64url');
}

/**
 * Moderation on the central store: the queue of publishable feedback, a moderator's draft and approval (with a
 * second, different moderator when the case needs one), and publication of only the approved text. Every step is a
 * 'moderation' event on the case with its change rows, in the step's transaction.
 */
export function createModerationStore(store: CentralStore, clock: { now(): number }) {
  const { db } = store;
  const timeline = createCaseTimeline(store);
  const now = () => new Date(clock.now()).toISOString();

  function canModerate(actor: Actor, teamId: string): boolean {
    return actor.role === 'supervisor' && actor.teamIds.includes(teamId);
  }

  async function callerName(tx: Tx | typeof db, target: ServerCase): Promise<string | null> {
    if (!target.fields.callerId) return null;
    const alias = await tx.selectFrom('caller_aliases').select('caller_id').where('alias_id', '=', target.fields.callerId).executeTakeFirst();
    const row = await tx.selectFrom('callers').select('name').where('id', '=', alias?.caller_id ?? target.fields.callerId).executeTakeFirst();
    return row?.name ?? null;
  }

  /** Details in `text`: the caller's name is known, so it is found in any case and in parts. */
  function detect(text: string, name: string | null): IdentifyingSpan[] {
    return findIdentifyingDetails(text, { knownNames: [name] });
  }

  async function moderatable(tx: Tx, actor: Actor, caseId: string): Promise<{ target: ServerCase; row: Database['moderations'] | undefined }> {
    const target = await timeline.lockCase(tx, caseId);
    if (!target || !canModerate(actor, target.teamId)) throw new StoreRefusal(404, 'There is no such case in your teams.');
    const row = await tx.selectFrom('moderations').selectAll().where('case_id', '=', caseId).executeTakeFirst();
    return { target, row };
  }

  function publishable(target: ServerCase): void {
    if (target.fields.type !== 'feedback') throw new StoreRefusal(422, 'Only feedback is published; this case is not feedback.');
    if (!target.fields.flags.publishConsent) throw new StoreRefusal(422, 'The caller has not agreed to publication, so this case cannot be published.');
    if (!target.fields.providerId) throw new StoreRefusal(422, 'Choose the provider on the case before publishing: feedback is published by provider.');
    if (!target.fields.category) throw new StoreRefusal(422, 'Choose the category on the case before publishing.');
  }

  async function upsertRow(tx: Tx, existing: Database['moderations'] | undefined, row: Database['moderations']): Promise<void> {
    if (existing) await tx.updateTable('moderations').set(row).where('case_id', '=', row.case_id).execute();
    else await tx.insertInto('moderations').values(row).execute();
  }

  function baseRow(target: ServerCase, existing: Database['moderations'] | undefined, at: string): Database['moderations'] {
    return (
      existing ?? {
        case_id: target.id,
        team_id: target.teamId,
        state: 'draft',
        draft: '',
        approved_text: null,
        overrides: '[]',
        first_by: null,
        first_by_name: null,
        first_at: null,
        second_by: null,
        second_by_name: null,
        second_at: null,
        reason: null,
        updated_at: at,
      }
    );
  }

  async function publish(tx: Tx, target: ServerCase, text: string, at: string): Promise<string> {
    const existing = await tx.selectFrom('publications').select('public_id').where('case_id', '=', target.id).executeTakeFirst();
    const values = {
      team_id: target.teamId,
      provider_id: target.fields.providerId!,
      category: target.fields.category!,
      // The month of the contact: the day would narrow down who it was.
      experience_month: target.createdAt.slice(0, 7),
      description: text,
      updated_at: at,
    };
    if (existing) {
      await tx.updateTable('publications').set(values).where('case_id', '=', target.id).execute();
      return existing.public_id;
    }
    const publicId = newPublicId();
    await tx.insertInto('publications').values({ public_id: publicId, case_id: target.id, ...values, response: null, response_month: null, published_at: at }).execute();
    return publicId;
  }

  return {
    /** Publishable feedback of the moderator's teams, oldest first: by default what still needs a moderator. */
    async queue(actor: Actor, filter: { state: 'pending' | 'published' | 'rejected' | 'all'; limit: number }): Promise<ModerationQueueItem[]> {
      if (actor.role !== 'supervisor' || actor.teamIds.length === 0) return [];
      let query = db
        .selectFrom('cases')
        .leftJoin('moderations', 'moderations.case_id', 'cases.id')
        .select(['cases.id', 'cases.reference', 'cases.fields', 'cases.created_at', 'moderations.state', 'moderations.first_by', 'moderations.first_by_name', 'moderations.updated_at'])
        .where('cases.team_id', 'in', actor.teamIds)
        .where(sql<string>`cases.report_type`, '=', 'feedback')
        .where(publishConsentSql(store.dialect));
      if (filter.state === 'pending') query = query.where((eb) => eb.or([eb('moderations.state', 'is', null), eb('moderations.state', 'in', ['draft', 'awaiting-second'])]));
      else if (filter.state === 'published') query = query.where('moderations.state', '=', 'published');
      else if (filter.state === 'rejected') query = query.where('moderations.state', 'in', ['rejected', 'withdrawn']);
      const rows = await query.orderBy('cases.created_at').orderBy('cases.id').limit(filter.limit).execute();
      return rows.map((row) => {
        const fields = JSON.parse(row.fields) as ServerCase['fields'];
        return {
          caseId: row.id,
          reference: row.reference,
          providerId: fields.providerId,
          category: fields.category,
          createdAt: row.created_at,
          state: row.state === null ? 'new' : row.state === 'withdrawn' ? 'rejected' : (row.state as ModerationState),
          needsSecondModeration: fields.flags.needsSecondModeration,
          firstModeratorId: row.first_by,
          firstModeratorName: row.first_by_name,
          updatedAt: row.updated_at,
        };
      });
    },

    /** The moderation screen's case: the caller's words and the draft, each with its details highlighted. The read is audited. */
    async view(actor: Actor, caseId: string): Promise<ModerationView | null> {
      return db.transaction().execute(async (tx) => {
        const row = await tx.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst();
        if (!row || !canModerate(actor, row.team_id)) return null;
        await tx.insertInto('audit_log').values({ user_id: actor.userId, case_id: caseId, reason: 'Moderation', at: now() }).execute();
        const target = rowToCase(row);
        const name = await callerName(tx, target);
        const moderation = await tx.selectFrom('moderations').selectAll().where('case_id', '=', caseId).executeTakeFirst();
        const publication = await tx.selectFrom('publications').selectAll().where('case_id', '=', caseId).executeTakeFirst();
        const response = await tx
          .selectFrom('provider_referrals')
          .select(['response_to_publish', 'response_to_publish_at'])
          .where('case_id', '=', caseId)
          .where('response_to_publish', 'is not', null)
          .orderBy('response_to_publish_at', 'desc')
          .limit(1)
          .executeTakeFirst();
        const draft = moderation?.draft ?? '';
        const { fields } = target;
        return {
          case: { id: target.id, reference: target.reference, type: fields.type, status: target.status, category: fields.category, providerId: fields.providerId, department: fields.department, createdAt: target.createdAt, publishConsent: fields.flags.publishConsent, needsSecondModeration: fields.flags.needsSecondModeration },
          callerWords: fields.description,
          callerWordsHighlights: detect(fields.description, name),
          state: rowState(moderation),
          draft,
          draftHighlights: detect(draft, name),
          approvedText: moderation?.approved_text ?? null,
          overrides: JSON.parse(moderation?.overrides ?? '[]') as IdentifyingOverride[],
          firstModerator: moderation?.first_by ? { id: moderation.first_by, name: moderation.first_by_name ?? '', at: moderation.first_at ?? '' } : null,
          secondModerator: moderation?.second_by ? { id: moderation.second_by, name: moderation.second_by_name ?? '', at: moderation.second_at ?? '' } : null,
          reason: moderation?.reason ?? null,
          publication: publication ? { publicId: publication.public_id, publishedAt: publication.published_at, description: publication.description, response: publication.response } : null,
          providerResponse: response?.response_to_publish ? { text: response.response_to_publish, at: response.response_to_publish_at ?? '', highlights: detect(response.response_to_publish, name) } : null,
        };
      });
    },

    /** Saves the moderator's work in progress. It is not approved and not published. */
    async saveDraft(actor: Actor, caseId: string, text: string): Promise<{ state: ModerationState; draftHighlights: IdentifyingSpan[] }> {
      return db.transaction().execute(async (tx) => {
        const { target, row } = await moderatable(tx, actor, caseId);
        const at = now();
        const next = { ...baseRow(target, row, at), draft: text, updated_at: at };
        if (!row) next.state = 'draft';
        await upsertRow(tx, row, next);
        const author = { id: actor.userId, name: actor.name };
        await timeline.commit(tx, { teamId: target.teamId, at, events: [timeline.event(target, moderationEventKind, author, at, { step: 'draft-saved' satisfies ModerationStep }, text)] });
        return { state: rowState(next), draftHighlights: detect(text, await callerName(tx, target)) };
      });
    },

    /**
     * Approves `text` for publication. Refused while it holds a detected detail that no override (with a reason)
     * covers, when it is the caller's words as they stand, or when the case may not be published. A case that needs
     * second-tier moderation is published only when a second, different moderator approves the same text; a changed
     * text starts the two approvals again.
     */
    async approve(actor: Actor, caseId: string, input: { text: string; overrides: IdentifyingOverride[] }): Promise<{ state: ModerationState; publicId: string | null }> {
      return db.transaction().execute(async (tx) => {
        const { target, row } = await moderatable(tx, actor, caseId);
        publishable(target);
        const text = input.text.trim();
        if (text === target.fields.description.trim()) throw new StoreRefusal(422, 'The moderated description is the caller’s own words, which are never published. Write it in your own words.');
        const spans = detect(text, await callerName(tx, target));
        const uncovered = uncoveredDetails(spans, input.overrides);
        if (uncovered.length > 0) throw new IdentifyingDetailsRemain(uncovered);
        // Only the overrides that matched something are kept: they are the record of what was let through and why.
        const overrides = input.overrides.filter((o) => spans.some((s) => s.kind === o.kind && s.text === o.text));
        const at = now();
        const author = { id: actor.userId, name: actor.name };
        const base = { ...baseRow(target, row, at), draft: text, overrides: JSON.stringify(overrides), reason: null, updated_at: at };
        const events = [];
        let publicId: string | null = null;
        let next: Database['moderations'];
        const secondTier = target.fields.flags.needsSecondModeration;
        if (secondTier && row?.state === 'awaiting-second' && row.approved_text === text) {
          if (row.first_by === actor.userId) {
            throw new StoreRefusal(403, 'This case needs a second moderator: another supervisor must approve it.');
          }
          next = { ...base, state: 'published', second_by: actor.userId, second_by_name: actor.name, second_at: at };
          events.push(timeline.event(target, moderationEventKind, author, at, { step: 'approved' satisfies ModerationStep, tier: 2, overrides }, text));
        } else if (secondTier) {
          next = { ...base, state: 'awaiting-second', approved_text: text, first_by: actor.userId, first_by_name: actor.name, first_at: at, second_by: null, second_by_name: null, second_at: null };
          events.push(timeline.event(target, moderationEventKind, author, at, { step: 'approved' satisfies ModerationStep, tier: 1, overrides, needsSecond: true }, text));
        } else {
          next = { ...base, state: 'published', approved_text: text, first_by: actor.userId, first_by_name: actor.name, first_at: at, second_by: null, second_by_name: null, second_at: null };
          events.push(timeline.event(target, moderationEventKind, author, at, { step: 'approved' satisfies ModerationStep, tier: 1, overrides }, text));
        }
        if (next.state === 'published') {
          publicId = await publish(tx, target, text, at);
          events.push(timeline.event(target, moderationEventKind, author, at, { step: 'published' satisfies ModerationStep, publicId }, text));
        }
        await upsertRow(tx, row, next);
        await timeline.commit(tx, { teamId: target.teamId, at, events });
        return { state: rowState(next), publicId };
      });
    },

    /** Decides the case is not to be published, or withdraws it from the feed when it is. */
    async reject(actor: Actor, caseId: string, reason: string): Promise<{ state: ModerationState; withdrawn: boolean }> {
      return db.transaction().execute(async (tx) => {
        const { target, row } = await moderatable(tx, actor, caseId);
        const at = now();
        const removed = await tx.deleteFrom('publications').where('case_id', '=', caseId).executeTakeFirst();
        const withdrawn = Number(removed.numDeletedRows) > 0;
        const next = { ...baseRow(target, row, at), state: withdrawn ? 'withdrawn' : 'rejected', reason, updated_at: at };
        await upsertRow(tx, row, next);
        const event = timeline.event(target, moderationEventKind, { id: actor.userId, name: actor.name }, at, { step: 'rejected' satisfies ModerationStep, withdrawn }, reason);
        await timeline.commit(tx, { teamId: target.teamId, at, events: [event] });
        return { state: 'rejected', withdrawn };
      });
    },

    /** Publishes the provider's response beside the published feedback, after the same check as the description. */
    async publishResponse(actor: Actor, caseId: string, input: { text: string; overrides: IdentifyingOverride[] }): Promise<{ publicId: string }> {
      return db.transaction().execute(async (tx) => {
        const { target } = await moderatable(tx, actor, caseId);
        const publication = await tx.selectFrom('publications').select('public_id').where('case_id', '=', caseId).executeTakeFirst();
        if (!publication) throw new StoreRefusal(422, 'Publish the feedback before the provider’s response to it.');
        const text = input.text.trim();
        const spans = detect(text, await callerName(tx, target));
        const uncovered = uncoveredDetails(spans, input.overrides);
        if (uncovered.length > 0) throw new IdentifyingDetailsRemain(uncovered);
        const overrides = input.overrides.filter((o) => spans.some((s) => s.kind === o.kind && s.text === o.text));
        const at = now();
        await tx.updateTable('publications').set({ response: text, response_month: at.slice(0, 7), updated_at: at }).where('case_id', '=', caseId).execute();
        const event = timeline.event(target, moderationEventKind, { id: actor.userId, name: actor.name }, at, { step: 'response-published' satisfies ModerationStep, publicId: publication.public_id, overrides }, text);
        await timeline.commit(tx, { teamId: target.teamId, at, events: [event] });
        return { publicId: publication.public_id };
      });
    },
  };
}

export type ModerationStore = ReturnType<typeof createModerationStore>;
