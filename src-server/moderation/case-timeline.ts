import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { CaseFields } from '../../src-shared/domain/case-record';
import { canTransition, isOpenStatus, type CaseStatus } from '../../src-shared/domain/statuses';
import type { CentralStore, NewChange, ServerCase, ServerCaseEvent } from '../store/central-store';
import type { Database } from '../store/schema';

export type Tx = Transaction<Database>;

/** Who a server-side step is by: a signed-in person, or a provider answering through its link. */
export interface TimelineAuthor {
  id: string;
  name: string;
}

/**
 * Timeline event kinds added by moderation and providers, beside the store's ('created', 'field', 'note', 'status')
 * and intake's ('message'). Each event's `value.step` says which step it records.
 */
export const moderationEventKind = 'moderation';
export const providerEventKind = 'provider';

export function rowToCase(row: Database['cases']): ServerCase {
  return {
    id: row.id,
    reference: row.reference,
    teamId: row.team_id,
    ownerId: row.owner_id,
    createdBy: row.created_by,
    status: row.status as CaseStatus,
    fields: JSON.parse(row.fields) as CaseFields,
    fieldSeqs: JSON.parse(row.field_seqs) as ServerCase['fieldSeqs'],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
    version: Number(row.version),
  };
}

/**
 * Writes from the server itself onto a case (a moderation step, a provider's answer): read the case locked, write
 * what the step needs, then `commit` its timeline events, and the case's new status if it moved, with their change
 * rows in the same transaction (taken last, through the store's `recordChanges`), so desks pull them like any other.
 */
export function createCaseTimeline(store: CentralStore) {
  return {
    /**
     * The case, read for a change: on PostgreSQL its row stays locked until commit (as a push locks it), so a push and
     * this step cannot both compute the case's next state from the same row.
     */
    async lockCase(tx: Tx, caseId: string): Promise<ServerCase | null> {
      if (store.dialect === 'postgres') {
        const result = await sql<Database['cases']>`SELECT * FROM cases WHERE id = ${caseId} FOR UPDATE`.execute(tx);
        return result.rows[0] ? rowToCase(result.rows[0]) : null;
      }
      const row = await tx.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst();
      return row ? rowToCase(row) : null;
    },

    /** A new event (its number is filled in at commit). */
    event(target: ServerCase, kind: string, author: TimelineAuthor, at: string, value: unknown, body: string | null = null, field: string | null = null): ServerCaseEvent {
      return { id: randomUUID(), caseId: target.id, kind, field, value, body, authorId: author.id, authorName: author.name, at, seq: 0 };
    },

    /**
     * The case moved to `to`, when its type allows the move from where it is; null when it does not (the case is left
     * as it is). The 'status' event goes with it, as a desk's own status change makes one.
     */
    moveStatus(target: ServerCase, to: CaseStatus, author: TimelineAuthor, at: string): { next: ServerCase; event: ServerCaseEvent } | null {
      if (target.status === to || !canTransition(target.fields.type, target.status, to)) return null;
      const next: ServerCase = {
        ...target,
        status: to,
        closedAt: isOpenStatus(to) ? null : at,
        fieldSeqs: { ...target.fieldSeqs, status: { seq: 0, by: author.id, byName: author.name, at } },
        updatedAt: at,
        version: target.version + 1,
      };
      return { next, event: this.event(target, 'status', author, at, { from: target.status, to }, null, 'status') };
    },

    /** Records the events (and the case's new state) with their change rows. Call last in the transaction. */
    async commit(tx: Tx, input: { teamId: string; at: string; events: ServerCaseEvent[]; changed?: ServerCase | null }): Promise<void> {
      const changes: NewChange[] = [];
      const changed = input.changed ?? null;
      if (changed) {
        changes.push({
          teamId: input.teamId,
          entity: 'case',
          entityId: changed.id,
          data: changed,
          at: input.at,
          numbered: (seq) => {
            const statusSeq = changed.fieldSeqs.status;
            if (statusSeq && statusSeq.seq === 0) statusSeq.seq = seq;
          },
        });
      }
      for (const event of input.events) {
        changes.push({ teamId: input.teamId, entity: 'caseEvent', entityId: event.id, data: event, at: input.at, numbered: (seq) => (event.seq = seq) });
      }
      await store.recordChanges(tx, changes);
      if (changed) {
        await tx
          .updateTable('cases')
          .set({ status: changed.status, field_seqs: JSON.stringify(changed.fieldSeqs), updated_at: changed.updatedAt, closed_at: changed.closedAt, version: changed.version })
          .where('id', '=', changed.id)
          .execute();
      }
      if (input.events.length > 0) {
        await tx
          .insertInto('case_events')
          .values(
            input.events.map((e) => ({ id: e.id, case_id: e.caseId, kind: e.kind, field: e.field, value: JSON.stringify(e.value ?? null), body: e.body, author_id: e.authorId, author_name: e.authorName, at: e.at, seq: e.seq })),
          )
          .execute();
      }
    },
  };
}

export type CaseTimeline = ReturnType<typeof createCaseTimeline>;

/** Whether the case's caller agreed to publication, as SQL over `cases.fields` on either store. */
export function publishConsentSql(dialect: CentralStore['dialect']) {
  return dialect === 'postgres'
    ? sql<boolean>`((cases.fields::json -> 'flags' ->> 'publishConsent') = 'true')`
    : sql<boolean>`(json_extract(cases.fields, '$.flags.publishConsent') = 1)`;
}
