import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { caseFieldNames, type CaseFieldName, type CaseFields } from '../../../src-shared/domain/case-record';
import { caseTypes, channels } from '../../../src-shared/domain/case-types';
import { isCaseStatus, isOpenStatus, type CaseStatus } from '../../../src-shared/domain/statuses';
import { assert } from '../../../src-shared/result';
import type { Change } from '../../../src-shared/sync/protocol';
import { FIELD_COLUMNS, fieldToColumnValue, rowToFields, type CaseRow } from '../cases/case-rows';
import type { CaseSearchIndex } from '../cases/case-search';
import type { Logger } from '../logger';
import { createReferenceChangeApplier } from './apply-reference-changes';
import type { PendingEdit } from './outbox';

/*
 * The shapes of the `data` of pulled changes that this desk stores. They are checked here, at the edge, and loosely:
 * the server validated every value when it took the mutation, and a desk must not stop syncing because the server
 * added a property. A change that does not have the shape is skipped and logged, never applied half-way.
 */
const nullableText = z.string().nullable();
const pulledFieldsSchema = z.object({
  type: z.enum(caseTypes),
  channel: z.enum(channels),
  category: nullableText,
  providerId: nullableText,
  department: nullableText,
  description: z.string(),
  priority: z.enum(['normal', 'high']),
  flags: z.record(z.string(), z.boolean()),
  commissioning: z.enum(['local', 'national']).nullable(),
  contactMethod: z.enum(['none', 'phone', 'email']),
  contactPhone: nullableText,
  contactEmail: nullableText,
  callerId: nullableText,
  previousReference: nullableText,
});
const pulledCaseSchema = z.object({
  id: z.string().min(1),
  reference: z.string().min(1),
  ownerId: z.string(),
  createdBy: z.string(),
  status: z.string().refine(isCaseStatus),
  fields: pulledFieldsSchema,
  fieldSeqs: z.record(z.string(), z.object({ seq: z.number().int().nonnegative() }).loose()),
  createdAt: z.string(),
  updatedAt: z.string(),
  closedAt: nullableText,
  version: z.number().int(),
});
const pulledEventSchema = z.object({
  id: z.string().min(1),
  caseId: z.string().min(1),
  kind: z.string(),
  field: nullableText,
  value: z.unknown(),
  body: nullableText,
  authorId: z.string(),
  authorName: z.string(),
  at: z.string(),
});
const pulledCallerSchema = z.object({
  id: z.string().min(1),
  phone: nullableText,
  name: nullableText,
  flags: z.array(z.string()),
  updatedAt: z.string().optional(),
});
const pulledAliasSchema = z.object({ aliasId: z.string().min(1), callerId: z.string().min(1) });
const pulledConflictSchema = z.object({
  id: z.string().min(1),
  caseId: z.string().min(1),
  field: z.string(),
  kind: z.enum(['stale-edit', 'refused']),
  losingValue: z.unknown(),
  losingBy: nullableText.optional(),
  losingByName: nullableText.optional(),
  losingAt: z.string(),
  winningValue: z.unknown(),
  winningByName: nullableText,
  winningAt: nullableText,
  reason: z.string(),
  seq: z.number().int().nonnegative(),
});

type PulledCase = z.infer<typeof pulledCaseSchema>;
type SyncedCaseRow = CaseRow & { server_field_seqs: string };
/** The values of `upsertCase`, in its columns' order. */
type CaseUpsertValues = [
  id: string,
  reference: string,
  type: string,
  channel: string,
  status: string,
  category: string | null,
  providerId: string | null,
  department: string | null,
  description: string,
  priority: string,
  flags: string,
  commissioning: string | null,
  contactMethod: string,
  contactPhone: string | null,
  contactEmail: string | null,
  callerId: string | null,
  previousReference: string | null,
  ownerId: string,
  createdBy: string,
  createdAt: string,
  updatedAt: string,
  closedAt: string | null,
  version: number,
  serverFieldSeqs: string,
];
type FieldSeqs = Record<string, number>;

/** What one page did to the local cache, for the log and the tests. */
export interface ApplySummary {
  applied: number;
  skipped: number;
  /** Cases whose search entry was rebuilt. */
  reindexed: number;
}

/** The timeline kinds this desk keeps (migration 0140 added the contact, moderation, provider and call kinds). */
const SERVER_EVENT_KINDS = ['created', 'field', 'note', 'status', 'message', 'moderation', 'provider', 'call'] as const;
type LocalEventKind = (typeof SERVER_EVENT_KINDS)[number];

/**
 * The edits still waiting in the outbox, by case and field and by caller: a pulled value must not hide them.
 * ("Re-apply the pending ones on top": the local value of a field with a pending edit is the edit, until the server
 * has it.)
 */
export class PendingEdits {
  private readonly byCaseField = new Map<string, PendingEdit[]>();
  private readonly byCase = new Map<string, Set<string>>();
  private readonly callers = new Set<string>();

  constructor(edits: readonly PendingEdit[]) {
    for (const edit of edits) {
      if (edit.name === 'caller.upsert') {
        if (edit.callerId) this.callers.add(edit.callerId);
        continue;
      }
      if (!edit.caseId || !edit.field) continue;
      const key = `${edit.caseId}\u0000${edit.field}`;
      const list = this.byCaseField.get(key) ?? [];
      list.push(edit);
      this.byCaseField.set(key, list);
      const fields = this.byCase.get(edit.caseId) ?? new Set<string>();
      fields.add(edit.field);
      this.byCase.set(edit.caseId, fields);
    }
  }

  /** The fields (and `status`) of the case with pending edits. */
  fieldsOf(caseId: string): ReadonlySet<string> {
    return this.byCase.get(caseId) ?? new Set();
  }

  /** The pending edits of one field of one case, oldest first. */
  editsOf(caseId: string, field: string): readonly PendingEdit[] {
    return this.byCaseField.get(`${caseId}\u0000${field}`) ?? [];
  }

  hasCaller(callerId: string): boolean {
    return this.callers.has(callerId);
  }
}

/**
 * The cases whose search entry a page rewrites, written once at its end. A case is kept with what the page wrote
 * (its rowid, reference and words), so its row is not read back; `fresh` for a case this page inserted, which has
 * no entry to replace and no notes but the page's own (a first catch-up writes thousands). A case changed in a way
 * the page did not keep (a conflict's winning value) is read back.
 */
class SearchEntries {
  private readonly entries = new Map<string, { rowid: number; reference: string; description: string; fresh: boolean; notes: boolean } | null>();

  get size(): number {
    return this.entries.size;
  }

  /** The case as this page wrote it. `fresh`: it had no row before this page. */
  written(caseId: string, rowid: number, reference: string, description: string, fresh: boolean): void {
    const before = this.entries.get(caseId);
    this.entries.set(caseId, { rowid, reference, description, fresh: fresh || before?.fresh === true, notes: before?.notes === true });
  }

  /** The page added a note to the case. */
  noted(caseId: string): void {
    const entry = this.entries.get(caseId);
    if (entry) entry.notes = true;
    else this.entries.set(caseId, null);
  }

  /** The case changed in a way the page did not keep: its row is read back. */
  changed(caseId: string): void {
    this.entries.set(caseId, null);
  }

  /** Writes every entry; `read` gives the row of a case to read back. */
  write(search: CaseSearchIndex, read: (caseId: string) => { rowid: number; reference: string; description: string } | undefined): void {
    for (const [caseId, entry] of this.entries) {
      if (entry?.fresh) {
        search.indexNew(entry.rowid, caseId, entry.reference, entry.description, entry.notes);
        continue;
      }
      const row = entry ?? read(caseId);
      if (row) search.index(row.rowid, caseId, row.reference, row.description);
    }
  }
}

/** JSON with object keys sorted, so two equal values compare equal whatever order their keys came in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

function isCaseField(field: string): field is CaseFieldName {
  return (caseFieldNames as readonly string[]).includes(field);
}

function parseSeqs(text: string | undefined): FieldSeqs {
  return text ? (JSON.parse(text) as FieldSeqs) : {};
}

/**
 * The cases that a page changes more than once and that can take their newest state in one step, where they first
 * appear: a case change carries the whole case (its field change numbers included, cumulatively), so applying the
 * last one alone leaves the same row as applying each in turn. Not for a case with edits still waiting in the outbox
 * (each step decides which waiting edit stays on top) or with a conflict in the page (it sets a field from the
 * state before it). Maps the case id to the indexes of its first and last change in the page.
 */
function newestCaseStates(changes: readonly Change[], pending: PendingEdits): Map<string, { first: number; last: number; done: boolean }> {
  const seen = new Map<string, { first: number; last: number; done: boolean }>();
  const unsafe = new Set<string>();
  for (const [index, change] of changes.entries()) {
    if (change.entity === 'conflict') {
      const caseId = (change.data as { caseId?: unknown } | null)?.caseId;
      if (typeof caseId === 'string') unsafe.add(caseId);
    }
    if (change.entity !== 'case') continue;
    const known = seen.get(change.entityId);
    if (known) known.last = index;
    else seen.set(change.entityId, { first: index, last: index, done: false });
  }
  for (const [caseId, state] of seen) {
    if (state.first === state.last || unsafe.has(caseId) || pending.fieldsOf(caseId).size > 0) seen.delete(caseId);
  }
  return seen;
}

/**
 * Applies pulled changes to the local cache. `applyPage` must run inside the transaction that also stores the new
 * cursor, so a page lands whole or not at all. Patient data never reaches the log: only ids, entity names and counts.
 */
export function createChangeApplier(db: Database, deps: { search: CaseSearchIndex; logger: Logger }) {
  const log = deps.logger.child({ component: 'sync-apply' });
  const reference = createReferenceChangeApplier(db, deps);

  const selectCase = db.prepare<[string], SyncedCaseRow>('SELECT rowid, * FROM cases WHERE id = ?');
  const caseExists = db.prepare<[string], { ok: number }>('SELECT 1 AS ok FROM cases WHERE id = ?');
  const caseWithReference = db.prepare<[string, string], { id: string }>('SELECT id FROM cases WHERE reference = ? AND id <> ?');
  // The two statements run for every pulled case and event take their values by position: binding by name costs more.
  const upsertCase = db.prepare<CaseUpsertValues>(`
    INSERT INTO cases (id, reference, type, channel, status, category, provider_id, department, description, priority, flags,
      commissioning, contact_method, contact_phone, contact_email, caller_id, previous_reference, owner_id, created_by,
      created_at, updated_at, closed_at, version, server_field_seqs)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET reference = excluded.reference, type = excluded.type, channel = excluded.channel,
      status = excluded.status, category = excluded.category, provider_id = excluded.provider_id,
      department = excluded.department, description = excluded.description, priority = excluded.priority,
      flags = excluded.flags, commissioning = excluded.commissioning, contact_method = excluded.contact_method,
      contact_phone = excluded.contact_phone, contact_email = excluded.contact_email, caller_id = excluded.caller_id,
      previous_reference = excluded.previous_reference, owner_id = excluded.owner_id, created_by = excluded.created_by,
      created_at = excluded.created_at, updated_at = excluded.updated_at, closed_at = excluded.closed_at,
      version = excluded.version, server_field_seqs = excluded.server_field_seqs`);
  const updateColumn = new Map(
    (Object.entries(FIELD_COLUMNS) as [CaseFieldName, string][]).map(([field, column]) => [
      field,
      db.prepare<[string | null, string]>(`UPDATE cases SET ${column} = ? WHERE id = ?`),
    ]),
  );
  const updateStatus = db.prepare<[string, string | null, string]>('UPDATE cases SET status = ?, closed_at = ? WHERE id = ?');
  const updateSeqs = db.prepare<[string, string]>('UPDATE cases SET server_field_seqs = ? WHERE id = ?');

  const providerExists = db.prepare<[string], { ok: number }>('SELECT 1 AS ok FROM providers WHERE id = ?');
  const insertUnknownProvider = db.prepare<[string, string]>(
    "INSERT OR IGNORE INTO providers (id, ods_code, name, kind, active) VALUES (?, ?, 'Unknown provider', 'unknown', 0)",
  );
  const categoryExists = db.prepare<[string], { ok: number }>('SELECT 1 AS ok FROM categories WHERE id = ?');
  const insertUnknownCategory = db.prepare<[string]>(
    "INSERT OR IGNORE INTO categories (id, label, high_priority_allowed, sort_order, active) VALUES (?, 'Unknown category', 1, 9999, 0)",
  );

  const createdEventExists = db.prepare<[string], { ok: number }>("SELECT 1 AS ok FROM case_events WHERE case_id = ? AND kind = 'created' LIMIT 1");
  // Append-only: an event this desk already has (its id) is left as it is, never rewritten. One statement checks
  // and inserts; only the id's uniqueness is passed over, any other constraint still fails the page.
  const insertEvent = db.prepare<[string, string, string, string | null, string | null, string | null, string | null, string, string, string]>(`
    INSERT INTO case_events (id, case_id, kind, field, old_value, new_value, body, author_id, author_name, at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO NOTHING`);

  const callerById = db.prepare<[string], { id: string; phone: string | null; name: string | null; flags: string; created_at: string }>(
    'SELECT id, phone, name, flags, created_at FROM callers WHERE id = ?',
  );
  const callerByPhone = db.prepare<[string], { id: string }>('SELECT id FROM callers WHERE phone = ?');
  const upsertCaller = db.prepare(`
    INSERT INTO callers (id, phone, name, flags, created_at, updated_at) VALUES (@id, @phone, @name, @flags, @at, @at)
    ON CONFLICT (id) DO UPDATE SET phone = excluded.phone, name = excluded.name, flags = excluded.flags, updated_at = excluded.updated_at`);
  const clearCallerPhone = db.prepare<[string]>('UPDATE callers SET phone = NULL WHERE id = ?');
  const setCallerPhone = db.prepare<[string | null, string]>('UPDATE callers SET phone = ? WHERE id = ?');
  const repointCases = db.prepare<[string, string]>('UPDATE cases SET caller_id = ? WHERE caller_id = ?');
  const repointCalls = db.prepare<[string, string]>('UPDATE calls SET caller_id = ? WHERE caller_id = ?');
  const deleteCaller = db.prepare<[string]>('DELETE FROM callers WHERE id = ?');
  const repointAliases = db.prepare<[string, string]>('UPDATE caller_aliases SET caller_id = ? WHERE caller_id = ?');
  const recordAlias = db.prepare<[string, string]>(
    'INSERT INTO caller_aliases (alias_id, caller_id) VALUES (?, ?) ON CONFLICT (alias_id) DO UPDATE SET caller_id = excluded.caller_id',
  );

  const insertConflict = db.prepare(`
    INSERT OR IGNORE INTO case_conflicts (id, case_id, field, kind, losing_value, losing_by, losing_by_name, losing_at,
      winning_value, winning_by_name, winning_at, reason, seq, seen)
    VALUES (@id, @caseId, @field, @kind, @losingValue, @losingBy, @losingByName, @losingAt,
      @winningValue, @winningByName, @winningAt, @reason, @seq, 0)`);

  /** A provider the desk has not heard of yet gets a stand-in row, so the case is kept and shows "Unknown provider". */
  function knownProvider(caseId: string, providerId: string | null): string | null {
    if (providerId === null || providerExists.get(providerId)) return providerId;
    insertUnknownProvider.run(providerId, providerId);
    if (providerExists.get(providerId)) {
      log.warn({ caseId, providerId }, 'pulled case names a provider this desk does not have; added a placeholder');
      return providerId;
    }
    log.warn({ caseId, providerId }, 'pulled case names an unknown provider that cannot be added; left blank');
    return null;
  }

  function knownCategory(caseId: string, category: string | null): string | null {
    if (category === null || categoryExists.get(category)) return category;
    insertUnknownCategory.run(category);
    log.warn({ caseId, category }, 'pulled case names a category this desk does not have; added a placeholder');
    return category;
  }

  /** A caller the desk has not heard of is left off the case (the caller's own change will arrive separately). */
  function knownCaller(caseId: string, callerId: string | null): string | null {
    if (callerId === null || callerById.get(callerId)) return callerId;
    log.warn({ caseId, callerId }, 'pulled case names a caller this desk does not have; caller left blank');
    return null;
  }

  function applyCase(change: Change, pending: PendingEdits, reindex: SearchEntries, knownCases: Set<string>): boolean {
    const parsed = pulledCaseSchema.safeParse(change.data);
    if (!parsed.success) {
      log.warn({ seq: change.seq, entityId: change.entityId }, 'pulled case change has an unexpected shape; skipped');
      return false;
    }
    const incoming: PulledCase = parsed.data;
    if (caseWithReference.get(incoming.reference, incoming.id)) {
      log.error({ seq: change.seq, caseId: incoming.id }, 'pulled case has the reference of another case on this desk; skipped');
      return false;
    }
    const existing = selectCase.get(incoming.id);
    const local = existing ? rowToFields(existing) : null;
    const pendingFields = existing ? pending.fieldsOf(incoming.id) : new Set<string>();

    const fields = { ...incoming.fields } as unknown as CaseFields;
    if (!pendingFields.has('category')) fields.category = knownCategory(incoming.id, incoming.fields.category) as CaseFields['category'];
    if (!pendingFields.has('providerId')) fields.providerId = knownProvider(incoming.id, incoming.fields.providerId);
    if (!pendingFields.has('callerId')) fields.callerId = knownCaller(incoming.id, incoming.fields.callerId);
    let status = incoming.status as CaseStatus;
    let closedAt = incoming.closedAt;
    const seqs = parseSeqs(existing?.server_field_seqs);
    for (const [name, fieldSeq] of Object.entries(incoming.fieldSeqs)) {
      if (pendingFields.has(name) && existing && local) {
        // A pending edit stays on top. Its change number moves on only if the server already holds the same value
        // (this desk's own edit coming back): otherwise the edit was made without seeing the server's value.
        const same = name === 'status' ? existing.status === incoming.status : isCaseField(name) && canonical(local[name]) === canonical(incoming.fields[name as keyof PulledCase['fields']]);
        if (!same) continue;
      }
      seqs[name] = fieldSeq.seq;
    }
    if (existing && local) {
      for (const name of pendingFields) {
        if (name === 'status') {
          status = existing.status;
          closedAt = existing.closed_at;
        } else if (isCaseField(name)) {
          (fields as Record<CaseFieldName, unknown>)[name] = local[name];
        }
      }
    }
    const keepLocalTimes = existing !== undefined && pendingFields.size > 0;
    const written = upsertCase.run(
      incoming.id,
      incoming.reference,
      fields.type,
      fields.channel,
      status,
      fields.category,
      fields.providerId,
      fields.department,
      fields.description,
      fields.priority,
      JSON.stringify(fields.flags),
      fields.commissioning,
      fields.contactMethod,
      fields.contactPhone,
      fields.contactEmail,
      fields.callerId,
      fields.previousReference,
      incoming.ownerId,
      incoming.createdBy,
      incoming.createdAt,
      keepLocalTimes && existing.updated_at > incoming.updatedAt ? existing.updated_at : incoming.updatedAt,
      closedAt,
      keepLocalTimes ? Math.max(existing.version, incoming.version) : incoming.version,
      JSON.stringify(seqs),
    );
    if (!existing || existing.description !== fields.description || existing.reference !== incoming.reference) {
      reindex.written(incoming.id, existing ? existing.rowid : Number(written.lastInsertRowid), incoming.reference, fields.description, !existing);
    }
    knownCases.add(incoming.id);
    return true;
  }

  /** The local timeline row for a server event, or null for a kind this desk does not keep. */
  function eventRow(event: z.infer<typeof pulledEventSchema>) {
    const kind = (SERVER_EVENT_KINDS as readonly string[]).includes(event.kind) ? (event.kind as LocalEventKind) : null;
    if (kind === null) return null;
    const base = { id: event.id, caseId: event.caseId, kind, authorId: event.authorId, authorName: event.authorName, at: event.at };
    switch (kind) {
      case 'created':
        return { ...base, field: null, oldValue: null, newValue: JSON.stringify(event.value ?? null), body: null };
      case 'field':
        if (event.field === null) return null;
        return { ...base, field: event.field, oldValue: null, newValue: JSON.stringify(event.value ?? null), body: null };
      case 'note':
        if (event.body === null) return null;
        return { ...base, field: null, oldValue: null, newValue: null, body: event.body };
      case 'status': {
        const move = (event.value ?? {}) as { from?: unknown; to?: unknown };
        return { ...base, field: 'status', oldValue: JSON.stringify(move.from ?? null), newValue: JSON.stringify(move.to ?? null), body: null };
      }
      case 'message':
        // A message is its text: one without any is not shown half-made.
        if (event.body === null) return null;
        return { ...base, field: null, oldValue: null, newValue: JSON.stringify(event.value ?? null), body: event.body };
      case 'moderation':
      case 'provider':
      case 'call':
        return { ...base, field: event.field, oldValue: null, newValue: JSON.stringify(event.value ?? null), body: event.body };
    }
  }

  /**
   * `knownCases`: cases this page has written, so known to be here without asking the database (most events of a
   * page follow their case in it).
   */
  function applyCaseEvent(change: Change, reindex: SearchEntries, knownCases: ReadonlySet<string>): boolean {
    const parsed = pulledEventSchema.safeParse(change.data);
    if (!parsed.success) {
      log.warn({ seq: change.seq, entityId: change.entityId }, 'pulled case event has an unexpected shape; skipped');
      return false;
    }
    const event = parsed.data;
    if (!knownCases.has(event.caseId) && !caseExists.get(event.caseId)) {
      log.debug({ seq: change.seq, caseId: event.caseId }, 'pulled case event for a case this desk does not have; skipped');
      return false;
    }
    const row = eventRow(event);
    if (row === null) {
      log.debug({ seq: change.seq, kind: event.kind }, 'pulled case event of a kind this desk does not keep; skipped');
      return false;
    }
    // A case is created once. The server names the event with the desk's `eventId`, so the id check above finds
    // this desk's own; this also holds for a case pushed before the server took those ids.
    if (row.kind === 'created' && createdEventExists.get(row.caseId)) return false;
    // Append-only: an event this desk already has is never rewritten (the insert does nothing).
    if (insertEvent.run(row.id, row.caseId, row.kind, row.field, row.oldValue, row.newValue, row.body, row.authorId, row.authorName, row.at).changes === 0) return false;
    if (row.kind === 'note') reindex.noted(row.caseId);
    return true;
  }

  /** Moves everything of caller `fromId` onto caller `toId` and removes `fromId`. */
  function mergeCaller(fromId: string, toId: string): void {
    repointCases.run(toId, fromId);
    repointCalls.run(toId, fromId);
    deleteCaller.run(fromId);
    // The history still names the merged id: it now stands for `toId`, as do the ids merged into it before.
    repointAliases.run(toId, fromId);
    recordAlias.run(fromId, toId);
  }

  function applyCaller(change: Change, pending: PendingEdits): boolean {
    const parsed = pulledCallerSchema.safeParse(change.data);
    if (!parsed.success) {
      log.warn({ seq: change.seq, entityId: change.entityId }, 'pulled caller change has an unexpected shape; skipped');
      return false;
    }
    const caller = parsed.data;
    const existing = callerById.get(caller.id);
    if (existing && pending.hasCaller(caller.id)) return false;
    // `callers.phone` is unique on the desk. Another local caller with the number is the same person recorded twice
    // (two desks offline): the server's caller stays, the local one's cases move onto it.
    const samePhone = caller.phone ? callerByPhone.get(caller.phone) : undefined;
    const duplicate = samePhone && samePhone.id !== caller.id ? samePhone.id : null;
    if (duplicate) clearCallerPhone.run(duplicate);
    const at = caller.updatedAt ?? change.at;
    upsertCaller.run({ id: caller.id, phone: caller.phone, name: caller.name, flags: JSON.stringify([...new Set(caller.flags)].sort()), at });
    if (duplicate) {
      mergeCaller(duplicate, caller.id);
      log.info({ callerId: caller.id, mergedCallerId: duplicate }, 'merged a local caller into the pulled caller with the same number');
    }
    return true;
  }

  function applyCallerAlias(change: Change): boolean {
    const parsed = pulledAliasSchema.safeParse(change.data);
    if (!parsed.success) {
      log.warn({ seq: change.seq, entityId: change.entityId }, 'pulled caller alias has an unexpected shape; skipped');
      return false;
    }
    const { aliasId, callerId } = parsed.data;
    if (aliasId === callerId) return false;
    const alias = callerById.get(aliasId);
    if (!alias) return false;
    if (!callerById.get(callerId)) {
      // The caller it is an alias of has not arrived yet: the alias's row becomes it, under the server's id.
      upsertCaller.run({ id: callerId, phone: null, name: alias.name, flags: alias.flags, at: alias.created_at });
      mergeCaller(aliasId, callerId);
      setCallerPhone.run(alias.phone, callerId);
    } else {
      mergeCaller(aliasId, callerId);
    }
    log.info({ aliasId, callerId }, 'caller alias applied');
    return true;
  }

  function applyConflict(change: Change, pending: PendingEdits, reindex: SearchEntries): boolean {
    const parsed = pulledConflictSchema.safeParse(change.data);
    if (!parsed.success) {
      log.warn({ seq: change.seq, entityId: change.entityId }, 'pulled conflict has an unexpected shape; skipped');
      return false;
    }
    const conflict = parsed.data;
    const row = selectCase.get(conflict.caseId);
    if (!row) {
      log.debug({ seq: change.seq, caseId: conflict.caseId }, 'pulled conflict for a case this desk does not have; skipped');
      return false;
    }
    const inserted = insertConflict.run({
      id: conflict.id,
      caseId: conflict.caseId,
      field: conflict.field,
      kind: conflict.kind,
      losingValue: JSON.stringify(conflict.losingValue ?? null),
      losingBy: conflict.losingBy ?? null,
      losingByName: conflict.losingByName ?? null,
      losingAt: conflict.losingAt,
      winningValue: JSON.stringify(conflict.winningValue ?? null),
      winningByName: conflict.winningByName,
      winningAt: conflict.winningAt,
      reason: conflict.reason,
      seq: conflict.seq,
    }).changes;
    if (inserted === 0) return false;

    // The field takes the winning value unless the handler has typed something newer than the edit that lost.
    const edits = pending.editsOf(conflict.caseId, conflict.field);
    const losing = edits.findIndex((edit) => edit.at === conflict.losingAt);
    const newer = losing >= 0 ? edits.slice(losing + 1) : edits;
    if (newer.length > 0) return true;
    if (conflict.field === 'status') {
      if (!isCaseStatus(conflict.winningValue)) return true;
      const closedAt = isOpenStatus(conflict.winningValue) ? null : (row.closed_at ?? conflict.winningAt ?? change.at);
      updateStatus.run(conflict.winningValue, closedAt, row.id);
    } else if (isCaseField(conflict.field)) {
      let value = conflict.winningValue ?? null;
      if (conflict.field === 'providerId') value = knownProvider(row.id, value as string | null);
      if (conflict.field === 'category') value = knownCategory(row.id, value as string | null);
      if (conflict.field === 'callerId') value = knownCaller(row.id, value as string | null);
      updateColumn.get(conflict.field)!.run(fieldToColumnValue(conflict.field, value), row.id);
      if (conflict.field === 'description') reindex.changed(row.id);
    } else {
      return true;
    }
    const seqs = parseSeqs(row.server_field_seqs);
    seqs[conflict.field] = Math.max(seqs[conflict.field] ?? 0, conflict.seq);
    updateSeqs.run(JSON.stringify(seqs), row.id);
    return true;
  }

  return {
    /**
     * Applies one pulled page in order. `pending` is the outbox's waiting edits, read in the same transaction.
     * Reference data and the team's people go to their own applier (apply-reference-changes.ts).
     */
    applyPage(changes: readonly Change[], pending: PendingEdits): ApplySummary {
      assert(db.inTransaction, 'A pulled page is applied inside the transaction that stores its cursor');
      const reindex = new SearchEntries();
      const knownCases = new Set<string>();
      const newest = newestCaseStates(changes, pending);
      let applied = 0;
      let skipped = 0;
      for (const [index, change] of changes.entries()) {
        let done: boolean;
        switch (change.entity) {
          case 'case': {
            const state = newest.get(change.entityId);
            if (!state) {
              done = applyCase(change, pending, reindex, knownCases);
            } else if (index === state.first) {
              // The case takes its newest state here, where it first appears in the page; that change counts as
              // applied (or not) at its own place, the ones it stands in for as skipped.
              state.done = applyCase(changes[state.last]!, pending, reindex, knownCases);
              done = false;
            } else {
              done = index === state.last && state.done;
            }
            break;
          }
          case 'caseEvent':
            done = applyCaseEvent(change, reindex, knownCases);
            break;
          case 'caller':
            done = applyCaller(change, pending);
            break;
          case 'callerAlias':
            done = applyCallerAlias(change);
            break;
          case 'conflict':
            done = applyConflict(change, pending, reindex);
            break;
          case 'provider':
          case 'category':
          case 'queue':
          case 'disposition':
          case 'user':
            done = reference.apply(change);
            break;
          default:
            log.debug({ seq: change.seq, entity: (change as { entity: string }).entity }, 'pulled change of an unknown entity; skipped');
            done = false;
        }
        if (done) applied += 1;
        else skipped += 1;
      }
      reindex.write(deps.search, (caseId) => selectCase.get(caseId));
      return { applied, skipped, reindexed: reindex.size };
    },
  };
}

export type ChangeApplier = ReturnType<typeof createChangeApplier>;
