import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { categoryLabels, isCategory } from '../../src-shared/domain/categories';
import type { CaseStatus } from '../../src-shared/domain/statuses';
import { createCaseTimeline, providerEventKind, rowToCase, type TimelineAuthor } from '../moderation/case-timeline';
import type { Actor, CentralStore, ServerCase, ServerCaseEvent } from '../store/central-store';
import { StoreRefusal } from '../store/central-store';
import type { Database } from '../store/schema';

/**
 * Sending cases to providers and taking their responses. A referral is one link to one case for one provider: its
 * token is 32 random bytes, sent only in the provider's email and stored only as its SHA-256, so the store cannot
 * give it away; it expires, and sending a new one or revoking it ends it. What the provider may see is fixed when it
 * is sent: the moderated description, or a summary the handler wrote for the provider.
 */

export type ReferralMode = 'link' | 'summary';
/** What the provider says with a response: received it, an update, or the matter is dealt with. */
export type ProviderOutcome = 'acknowledged' | 'responded' | 'addressed';
/** The steps recorded on the case's timeline as 'provider' events, in `value.step`. */
export type ProviderStep = 'sent' | 'opened' | ProviderOutcome | 'revoked';

export const DEFAULT_LINK_TTL_MS = 28 * 24 * 60 * 60 * 1000;
export const PROVIDER_RESPONSE_LIMIT = 5_000;
export const REFERRAL_SUMMARY_LIMIT = 4_000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The shape of a token: 32 bytes in base64url. Anything else is not looked up. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface ReferralSummary {
  id: string;
  caseId: string;
  providerId: string;
  mode: ReferralMode;
  sentAt: string;
  expiresAt: string;
  revokedAt: string | null;
  firstOpenedAt: string | null;
  acknowledgedAt: string | null;
  addressedAt: string | null;
}

/** What the provider's page shows: only what the provider may see of the case. */
export interface ProviderView {
  referralId: string;
  providerName: string;
  reference: string;
  categoryLabel: string | null;
  department: string | null;
  month: string;
  summary: string;
  expiresAt: string;
  acknowledgedAt: string | null;
  addressedAt: string | null;
  responses: { outcome: ProviderOutcome; text: string; at: string }[];
}

export type LinkState = { ok: true; view: ProviderView } | { ok: false; why: 'unknown' | 'revoked' | 'expired' | 'gone' };

function toSummary(row: Database['provider_referrals']): ReferralSummary {
  return {
    id: row.id,
    caseId: row.case_id,
    providerId: row.provider_id,
    mode: row.mode as ReferralMode,
    sentAt: row.sent_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    firstOpenedAt: row.first_opened_at,
    acknowledgedAt: row.acknowledged_at,
    addressedAt: row.addressed_at,
  };
}

function providerAuthor(provider: { id: string; name: string }): TimelineAuthor {
  return { id: `provider:${provider.id}`, name: provider.name };
}

/** The status a provider's answer moves the case to, if its type allows it from where it is (see statuses.ts). */
function statusFor(target: ServerCase, outcome: ProviderOutcome): CaseStatus | null {
  if (target.fields.type === 'feedback') {
    // "In progress (acknowledged)" once the provider has it; "Responded to (resolved)" when they have dealt with it.
    if (outcome === 'addressed') return 'responded';
    return target.status === 'open' ? 'in-progress' : null;
  }
  return outcome === 'addressed' ? 'answered' : null;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

function mean(values: number[]): number | null {
  return values.length === 0 ? null : Math.round(values.reduce((a, b) => a + b, 0) / values.length);
}

export interface ProviderTimes {
  providerId: string;
  odsCode: string;
  name: string;
  referrals: number;
  opened: number;
  acknowledged: number;
  addressed: number;
  /** From sending to the provider's first response of any kind. */
  medianAcknowledgeMs: number | null;
  meanAcknowledgeMs: number | null;
  /** From sending to the provider marking it addressed. */
  medianAddressMs: number | null;
  meanAddressMs: number | null;
}

/** A referral checked and ready to send (see `prepareReferral`); `token` is in the email only. */
export interface PreparedReferral {
  case: ServerCase;
  provider: { id: string; name: string; odsCode: string; email: string };
  summary: string;
  /** True when the email itself carries the moderated description. */
  moderated: boolean;
  token: string;
  expiresAt: string;
  sentAt: string;
}

export function createProviderStore(store: CentralStore, clock: { now(): number }, options: { linkTtlMs?: number } = {}) {
  const { db } = store;
  const timeline = createCaseTimeline(store);
  const now = () => new Date(clock.now()).toISOString();
  const ttl = options.linkTtlMs ?? DEFAULT_LINK_TTL_MS;

  async function referralByToken(token: string) {
    if (!TOKEN_PATTERN.test(token)) return undefined;
    return db.selectFrom('provider_referrals').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst();
  }

  function linkProblem(row: Database['provider_referrals'] | undefined): 'unknown' | 'revoked' | 'expired' | null {
    if (!row) return 'unknown';
    if (row.revoked_at) return 'revoked';
    if (row.expires_at <= now()) return 'expired';
    return null;
  }

  async function viewOf(row: Database['provider_referrals']): Promise<ProviderView | null> {
    const caseRow = await db.selectFrom('cases').selectAll().where('id', '=', row.case_id).executeTakeFirst();
    const provider = await db.selectFrom('providers').select(['id', 'name']).where('id', '=', row.provider_id).executeTakeFirst();
    if (!caseRow || !provider) return null;
    const target = rowToCase(caseRow);
    const events = await db.selectFrom('case_events').select(['value', 'body', 'at']).where('case_id', '=', row.case_id).where('kind', '=', providerEventKind).orderBy('seq').execute();
    const responses = events.flatMap((event) => {
      const value = JSON.parse(event.value ?? 'null') as { step?: string; referralId?: string } | null;
      const step = value?.step;
      if (value?.referralId !== row.id || event.body === null || (step !== 'acknowledged' && step !== 'responded' && step !== 'addressed')) return [];
      return [{ outcome: step as ProviderOutcome, text: event.body, at: event.at }];
    });
    const category = target.fields.category;
    return {
      referralId: row.id,
      providerName: provider.name,
      reference: target.reference,
      categoryLabel: category && isCategory(category) ? categoryLabels[category] : null,
      department: target.fields.department,
      month: target.createdAt.slice(0, 7),
      summary: row.summary,
      expiresAt: row.expires_at,
      acknowledgedAt: row.acknowledged_at,
      addressedAt: row.addressed_at,
      responses,
    };
  }

  return {
    /**
     * Checks that the case can go to its provider and works out what the provider will see. Nothing is written: the
     * email is sent first, and `recordReferral` writes the referral only once the mail server has taken it.
     */
    async prepareReferral(actor: Actor, caseId: string, input: { mode: ReferralMode; summary?: string | undefined }): Promise<PreparedReferral> {
      const row = await db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst();
      if (!row || actor.role === 'admin' || !actor.teamIds.includes(row.team_id)) throw new StoreRefusal(404, 'There is no such case in your teams.');
      const target = rowToCase(row);
      if (!target.fields.providerId) throw new StoreRefusal(422, 'Choose the provider on the case before sending it to them.');
      const provider = await db.selectFrom('providers').selectAll().where('id', '=', target.fields.providerId).executeTakeFirst();
      if (!provider) throw new StoreRefusal(422, 'The case’s provider is not in the list of providers any more. Choose another.');
      if (!provider.contact_email) throw new StoreRefusal(422, `${provider.name} has no contact email address. An administrator can add one in the provider list.`);
      const publication = await db.selectFrom('publications').select('description').where('case_id', '=', caseId).executeTakeFirst();
      const moderated = publication?.description ?? null;
      // The email itself carries only moderated text; a handler's own summary is shown only behind the link.
      if (input.mode === 'summary' && !moderated) throw new StoreRefusal(422, 'Only a moderated and published description can go in an email. Send a link instead, or moderate the feedback first.');
      const summary = input.mode === 'summary' ? moderated! : (input.summary?.trim() || moderated);
      if (!summary) throw new StoreRefusal(422, 'Write a summary for the provider, or moderate the feedback first: the caller’s own words are not sent.');
      const token = randomBytes(32).toString('base64url');
      const sentAt = now();
      return {
        case: target,
        provider: { id: provider.id, name: provider.name, odsCode: provider.ods_code, email: provider.contact_email },
        summary,
        moderated: input.mode === 'summary',
        token,
        expiresAt: new Date(clock.now() + ttl).toISOString(),
        sentAt,
      };
    },

    /** Records a sent referral: earlier links to the case end, the new one is stored by its hash, and the case's timeline shows it. */
    async recordReferral(actor: Actor, prepared: PreparedReferral, mode: ReferralMode): Promise<ReferralSummary> {
      return db.transaction().execute(async (tx) => {
        const target = await timeline.lockCase(tx, prepared.case.id);
        if (!target) throw new StoreRefusal(404, 'There is no such case in your teams.');
        const at = now();
        await tx.updateTable('provider_referrals').set({ revoked_at: at }).where('case_id', '=', target.id).where('revoked_at', 'is', null).execute();
        const row: Database['provider_referrals'] = {
          id: randomUUID(),
          case_id: target.id,
          team_id: target.teamId,
          provider_id: prepared.provider.id,
          token_hash: hashToken(prepared.token),
          mode,
          summary: prepared.summary,
          sent_by: actor.userId,
          sent_at: prepared.sentAt,
          expires_at: prepared.expiresAt,
          revoked_at: null,
          first_opened_at: null,
          acknowledged_at: null,
          addressed_at: null,
          response_to_publish: null,
          response_to_publish_at: null,
        };
        await tx.insertInto('provider_referrals').values(row).execute();
        const event = timeline.event(target, providerEventKind, { id: actor.userId, name: actor.name }, at, { step: 'sent' satisfies ProviderStep, referralId: row.id, providerId: prepared.provider.id, mode, expiresAt: row.expires_at });
        await timeline.commit(tx, { teamId: target.teamId, at, events: [event] });
        return toSummary(row);
      });
    },

    /** The case's referrals, newest first, for a handler or supervisor of its team. */
    async referrals(actor: Actor, caseId: string): Promise<ReferralSummary[] | null> {
      const row = await db.selectFrom('cases').select('team_id').where('id', '=', caseId).executeTakeFirst();
      if (!row || actor.role === 'admin' || !actor.teamIds.includes(row.team_id)) return null;
      const rows = await db.selectFrom('provider_referrals').selectAll().where('case_id', '=', caseId).orderBy('sent_at', 'desc').execute();
      return rows.map(toSummary);
    },

    /** Ends a link before it expires. */
    async revoke(actor: Actor, caseId: string, referralId: string): Promise<ReferralSummary> {
      return db.transaction().execute(async (tx) => {
        const target = await timeline.lockCase(tx, caseId);
        if (!target || actor.role === 'admin' || !actor.teamIds.includes(target.teamId)) throw new StoreRefusal(404, 'There is no such case in your teams.');
        const row = await tx.selectFrom('provider_referrals').selectAll().where('id', '=', referralId).where('case_id', '=', caseId).executeTakeFirst();
        if (!row) throw new StoreRefusal(404, 'There is no such link on this case.');
        if (row.revoked_at) return toSummary(row);
        const at = now();
        await tx.updateTable('provider_referrals').set({ revoked_at: at }).where('id', '=', row.id).execute();
        const event = timeline.event(target, providerEventKind, { id: actor.userId, name: actor.name }, at, { step: 'revoked' satisfies ProviderStep, referralId: row.id, providerId: row.provider_id });
        await timeline.commit(tx, { teamId: target.teamId, at, events: [event] });
        return { ...toSummary(row), revokedAt: at };
      });
    },

    /** The provider opens its link: what it may see, and the first opening is recorded (once). */
    async open(token: string): Promise<LinkState> {
      const row = await referralByToken(token);
      const problem = linkProblem(row);
      if (problem || !row) return { ok: false, why: problem ?? 'unknown' };
      if (!row.first_opened_at) {
        await db.transaction().execute(async (tx) => {
          const target = await timeline.lockCase(tx, row.case_id);
          const claimed = await tx.updateTable('provider_referrals').set({ first_opened_at: now() }).where('id', '=', row.id).where('first_opened_at', 'is', null).executeTakeFirst();
          if (!target || Number(claimed.numUpdatedRows) === 0) return;
          const provider = await tx.selectFrom('providers').select(['id', 'name']).where('id', '=', row.provider_id).executeTakeFirstOrThrow();
          const at = now();
          const event = timeline.event(target, providerEventKind, providerAuthor(provider), at, { step: 'opened' satisfies ProviderStep, referralId: row.id, providerId: row.provider_id });
          await timeline.commit(tx, { teamId: target.teamId, at, events: [event] });
        });
      }
      const view = await viewOf((await referralByToken(token))!);
      return view ? { ok: true, view } : { ok: false, why: 'gone' };
    },

    /**
     * The provider's response, recorded on the case as a 'provider' event. The first response of any kind is the
     * acknowledgement; 'addressed' also closes the case where its status allows (feedback: Responded to; a question:
     * Answered). A response the provider lets us publish waits for a moderator.
     */
    async respond(token: string, input: { outcome: ProviderOutcome; text: string; publishable: boolean }): Promise<LinkState> {
      const row = await referralByToken(token);
      const problem = linkProblem(row);
      if (problem || !row) return { ok: false, why: problem ?? 'unknown' };
      const done = await db.transaction().execute(async (tx) => {
        const target = await timeline.lockCase(tx, row.case_id);
        const provider = await tx.selectFrom('providers').select(['id', 'name']).where('id', '=', row.provider_id).executeTakeFirst();
        if (!target || !provider) return false;
        const current = (await tx.selectFrom('provider_referrals').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow())!;
        const at = now();
        const author = providerAuthor(provider);
        await tx
          .updateTable('provider_referrals')
          .set({
            first_opened_at: current.first_opened_at ?? at,
            acknowledged_at: current.acknowledged_at ?? at,
            addressed_at: input.outcome === 'addressed' ? (current.addressed_at ?? at) : current.addressed_at,
            ...(input.publishable ? { response_to_publish: input.text, response_to_publish_at: at } : {}),
          })
          .where('id', '=', row.id)
          .execute();
        const events: ServerCaseEvent[] = [timeline.event(target, providerEventKind, author, at, { step: input.outcome satisfies ProviderStep, referralId: row.id, providerId: provider.id, publishable: input.publishable }, input.text)];
        const to = statusFor(target, input.outcome);
        const moved = to ? timeline.moveStatus(target, to, author, at) : null;
        if (moved) events.push(moved.event);
        await timeline.commit(tx, { teamId: target.teamId, at, events, changed: moved?.next ?? null });
        return true;
      });
      if (!done) return { ok: false, why: 'gone' };
      const view = await viewOf((await referralByToken(token))!);
      return view ? { ok: true, view } : { ok: false, why: 'gone' };
    },

    /** Time to acknowledge and to address, per provider, for referrals sent in [from, to) of these teams (null: all). */
    async times(from: string, to: string, teams: string[] | null): Promise<{ providers: ProviderTimes[] }> {
      let query = db
        .selectFrom('provider_referrals')
        .innerJoin('providers', 'providers.id', 'provider_referrals.provider_id')
        .select(['provider_referrals.provider_id', 'providers.ods_code', 'providers.name', 'provider_referrals.sent_at', 'provider_referrals.first_opened_at', 'provider_referrals.acknowledged_at', 'provider_referrals.addressed_at'])
        .where('provider_referrals.sent_at', '>=', from)
        .where('provider_referrals.sent_at', '<', to);
      if (teams) query = query.where('provider_referrals.team_id', 'in', teams.length ? teams : ['']);
      const rows = await query.orderBy('providers.name').execute();
      const byProvider = new Map<string, { odsCode: string; name: string; rows: typeof rows }>();
      for (const row of rows) {
        const entry = byProvider.get(row.provider_id) ?? { odsCode: row.ods_code, name: row.name, rows: [] };
        entry.rows.push(row);
        byProvider.set(row.provider_id, entry);
      }
      const since = (row: { sent_at: string }, at: string | null) => (at ? Date.parse(at) - Date.parse(row.sent_at) : null);
      return {
        providers: [...byProvider.entries()].map(([providerId, entry]) => {
          const ack = entry.rows.map((row) => since(row, row.acknowledged_at)).filter((ms): ms is number => ms !== null);
          const addressed = entry.rows.map((row) => since(row, row.addressed_at)).filter((ms): ms is number => ms !== null);
          return {
            providerId,
            odsCode: entry.odsCode,
            name: entry.name,
            referrals: entry.rows.length,
            opened: entry.rows.filter((row) => row.first_opened_at !== null).length,
            acknowledged: ack.length,
            addressed: addressed.length,
            medianAcknowledgeMs: median(ack),
            meanAcknowledgeMs: mean(ack),
            medianAddressMs: median(addressed),
            meanAddressMs: mean(addressed),
          };
        }),
      };
    },
  };
}

export type ProviderStore = ReturnType<typeof createProviderStore>;
