import type { CallRecord } from '../../../src-shared/telephony/model';
import type { Database } from 'better-sqlite3';
import { keptStatements } from '../db/limited-statements';
import type { CaseConflict, CaseDetail, CaseEvent, CaseListFilters, CaseListPage, CaseOpenedFrom, FieldSaved, Provider } from '../../../src-shared/contract/cases';
import { caseListFiltersSchema } from '../../../src-shared/contract/cases';
import {
  completenessIssues,
  crossFieldIssues,
  defaultCaseFields,
  validateField,
  validateNote,
  type CaseFieldName,
  type CaseFields,
} from '../../../src-shared/domain/case-record';
import type { CaseType, Channel } from '../../../src-shared/domain/case-types';
import { formatPhoneNumber } from '../../../src-shared/domain/phone-number';
import { allowedTransitions, canTransition, isOpenStatus, statusesFor, transitionError, type CaseStatus } from '../../../src-shared/domain/statuses';
import type { Clock } from '../clock';
import { invalidField, RefusedError } from '../errors';
import type { Outbox } from '../sync/outbox';
import { CASE_LIST_SELECT, FIELD_COLUMNS, OPEN_STATUS_SQL, fieldToColumnValue, rowToFields, rowToSummary, type CaseListRow, type CaseRow } from './case-rows';
import type { CaseSearchIndex } from './case-search';
import type { createReferenceAllocator } from './reference-allocator';
import type { CallerRepository } from '../callers/caller-repository';

/** Who is making a change: the signed-in handler. */
export interface Actor {
  id: string;
  name: string;
}

interface EventRow {
  id: string;
  case_id: string;
  kind: CaseEvent['kind'];
  field: string | null;
  old_value: string | null;
  new_value: string | null;
  body: string | null;
  author_id: string;
  author_name: string;
  at: string;
}

interface ConflictRow {
  id: string;
  field: string;
  kind: CaseConflict['kind'];
  losing_value: string | null;
  losing_by_name: string | null;
  losing_at: string;
  winning_value: string | null;
  winning_by_name: string | null;
  winning_at: string | null;
  reason: string;
}

function rowToConflict(row: ConflictRow): CaseConflict {
  return {
    id: row.id,
    field: row.field,
    kind: row.kind,
    losingValue: row.losing_value === null ? null : (JSON.parse(row.losing_value) as unknown),
    losingByName: row.losing_by_name,
    losingAt: row.losing_at,
    winningValue: row.winning_value === null ? null : (JSON.parse(row.winning_value) as unknown),
    winningByName: row.winning_by_name,
    winningAt: row.winning_at,
    reason: row.reason,
  };
}

function rowToEvent(row: EventRow): CaseEvent {
  return {
    id: row.id,
    caseId: row.case_id,
    kind: row.kind,
    field: row.field,
    oldValue: row.old_value === null ? null : (JSON.parse(row.old_value) as unknown),
    newValue: row.new_value === null ? null : (JSON.parse(row.new_value) as unknown),
    body: row.body,
    authorId: row.author_id,
    authorName: row.author_name,
    at: row.at,
  };
}

/**
 * The server change number of the field's value as this desk last took it from the central API (migration 0110),
 * or null if the desk never had one. Sent with the edit as `baseSeq`: the server keeps an edit made on top of its
 * newest value and logs one made on top of an older value as a conflict.
 */
function serverSeqOf(row: CaseRow, field: CaseFieldName): number | null {
  const seqs = JSON.parse((row as CaseRow & { server_field_seqs?: string }).server_field_seqs ?? '{}') as Record<string, unknown>;
  const seq = seqs[field];
  return typeof seq === 'number' ? seq : null;
}

/** Long text changes keep only the new value in the timeline; the old one is the previous event's new value. */
const TEXT_FIELDS: ReadonlySet<CaseFieldName> = new Set(['description']);

/** Case list statements kept prepared (filters in use times page sizes). */
const LIST_STATEMENTS_KEPT = 64;

/**
 * Cases in the local cache. Every write commits with its timeline event and its outbox entry in one transaction;
 * every refusal (bad value, disallowed status, unknown case) throws `RefusedError` before anything is written.
 */
export function createCaseRepository(
  db: Database,
  deps: {
    clock: Clock;
    newId: () => string;
    actor: () => Actor;
    outbox: Outbox;
    references: ReturnType<typeof createReferenceAllocator>;
    search: CaseSearchIndex;
    callers: CallerRepository;
    providers: { provider(id: string): Provider | null };
  },
) {
  const now = () => new Date(deps.clock.now()).toISOString();

  const selectRow = db.prepare<[string], CaseRow>('SELECT rowid, * FROM cases WHERE id = ?');
  const insertCase = db.prepare(`
    INSERT INTO cases (id, reference, type, channel, status, category, provider_id, department, description, priority, flags,
      commissioning, contact_method, contact_phone, contact_email, caller_id, previous_reference, owner_id, created_by,
      created_at, updated_at)
    VALUES (@id, @reference, @type, @channel, @status, @category, @providerId, @department, @description, @priority, @flags,
      @commissioning, @contactMethod, @contactPhone, @contactEmail, @callerId, @previousReference, @ownerId, @createdBy,
      @at, @at)`);
  const insertEvent = db.prepare(`
    INSERT INTO case_events (id, case_id, kind, field, old_value, new_value, body, author_id, author_name, at)
    VALUES (@id, @caseId, @kind, @field, @oldValue, @newValue, @body, @authorId, @authorName, @at)`);
  const touch = db.prepare<[string, string]>('UPDATE cases SET updated_at = ?, version = version + 1 WHERE id = ?');
  const setStatus = db.prepare<[string, string | null, string, string]>(
    'UPDATE cases SET status = ?, closed_at = ?, updated_at = ?, version = version + 1 WHERE id = ?',
  );
  const updateColumn = new Map(
    (Object.entries(FIELD_COLUMNS) as [CaseFieldName, string][]).map(([field, column]) => [
      field,
      db.prepare<[string | null, string, string]>(`UPDATE cases SET ${column} = ?, updated_at = ?, version = version + 1 WHERE id = ?`),
    ]),
  );
  const timeline = db.prepare<[string], EventRow>('SELECT * FROM case_events WHERE case_id = ? ORDER BY at, rowid');
  const conflictsOf = db.prepare<[string], ConflictRow>('SELECT * FROM case_conflicts WHERE case_id = ? ORDER BY seq DESC LIMIT 50');
  const providerExists = db.prepare<[string], { ok: number }>('SELECT 1 AS ok FROM providers WHERE id = ? AND active = 1');
  // One statement for each set of filters and page size in use.
  const listStatement = keptStatements(db, LIST_STATEMENTS_KEPT);

  function requireRow(caseId: string): CaseRow {
    const row = selectRow.get(caseId);
    if (!row) throw new RefusedError('not-found', 'That case is not on this desk. It may have been removed, or the link is wrong.');
    return row;
  }

  function recordEvent(event: {
    caseId: string;
    kind: CaseEvent['kind'];
    field?: string | null;
    oldValue?: unknown;
    newValue?: unknown;
    body?: string | null;
    at: string;
  }): CaseEvent {
    const actor = deps.actor();
    const row: EventRow = {
      id: deps.newId(),
      case_id: event.caseId,
      kind: event.kind,
      field: event.field ?? null,
      old_value: event.oldValue === undefined ? null : JSON.stringify(event.oldValue),
      new_value: event.newValue === undefined ? null : JSON.stringify(event.newValue),
      body: event.body ?? null,
      author_id: actor.id,
      author_name: actor.name,
      at: event.at,
    };
    insertEvent.run({
      id: row.id,
      caseId: row.case_id,
      kind: row.kind,
      field: row.field,
      oldValue: row.old_value,
      newValue: row.new_value,
      body: row.body,
      authorId: row.author_id,
      authorName: row.author_name,
      at: row.at,
    });
    return rowToEvent(row);
  }

  function checkReferences(field: CaseFieldName, value: unknown): void {
    if (field === 'providerId' && value !== null && !providerExists.get(value as string)) {
      throw invalidField('providerId', 'Choose a provider from the list.');
    }
    if (field === 'callerId' && value !== null && !deps.callers.get(value as string)) {
      throw invalidField('callerId', 'That caller is not on this desk. Look the caller up by their number first.');
    }
  }

  function detail(row: CaseRow): CaseDetail {
    const fields = rowToFields(row);
    const events = timeline.all(row.id).map(rowToEvent);
    const conflicts = conflictsOf.all(row.id).map(rowToConflict);
    return {
      id: row.id,
      reference: row.reference,
      status: row.status,
      isOpen: isOpenStatus(row.status),
      fields,
      ownerId: row.owner_id,
      createdBy: row.created_by,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      closedAt: row.closed_at,
      version: row.version,
      caller: row.caller_id ? deps.callers.get(row.caller_id) : null,
      provider: row.provider_id ? deps.providers.provider(row.provider_id) : null,
      timeline: events,
      allowedStatuses: [...allowedTransitions(row.type, row.status)],
      missing: completenessIssues(fields),
      conflicts,
      names: namesIn(events, conflicts),
    };
  }

  /** The callers and providers the history and the conflicts refer to by id, by what a handler calls them. */
  function namesIn(events: readonly CaseEvent[], conflicts: readonly CaseConflict[]): Record<string, string> {
    const names: Record<string, string> = {};
    const name = (field: string | null, value: unknown) => {
      if (typeof value !== 'string' || value in names) return;
      if (field === 'callerId') {
        const caller = deps.callers.named(value);
        if (caller) names[value] = caller.name ?? (caller.phone ? formatPhoneNumber(caller.phone) : 'a caller with no name or number');
      } else if (field === 'providerId') {
        const provider = deps.providers.provider(value);
        if (provider) names[value] = provider.name;
      }
    };
    for (const event of events) {
      if (event.kind !== 'field') continue;
      name(event.field, event.oldValue);
      name(event.field, event.newValue);
    }
    for (const conflict of conflicts) {
      name(conflict.field, conflict.losingValue);
      name(conflict.field, conflict.winningValue);
    }
    return names;
  }

  const createTx = db.transaction((input: { type: CaseType; channel: Channel; callerId: string | null }) => {
    const at = now();
    const actor = deps.actor();
    const id = deps.newId();
    const reference = deps.references.next();
    const fields: CaseFields = { ...defaultCaseFields(input.type, input.channel), callerId: input.callerId };
    insertCase.run({
      id,
      reference,
      status: 'open',
      ...fields,
      flags: JSON.stringify(fields.flags),
      ownerId: actor.id,
      createdBy: actor.id,
      at,
    });
    const event = recordEvent({ caseId: id, kind: 'created', newValue: { type: input.type, channel: input.channel, reference }, at });
    deps.outbox.enqueue(
      'case.create',
      { caseId: id, reference, type: input.type, channel: input.channel, callerId: input.callerId, ownerId: actor.id, eventId: event.id, at },
      at,
    );
    const row = requireRow(id);
    deps.search.index(row.rowid, row.id, reference, fields.description);
    return row;
  });

  const updateTx = db.transaction((caseId: string, field: CaseFieldName, value: CaseFields[CaseFieldName]): FieldSaved => {
    const row = requireRow(caseId);
    const before = rowToFields(row);
    if (JSON.stringify(before[field]) === JSON.stringify(value)) {
      return { caseId, field, value, version: row.version, updatedAt: row.updated_at, changed: false, missing: completenessIssues(before) };
    }
    if (field === 'type' && !statusesFor(value as CaseType).includes(row.status)) {
      throw invalidField('type', 'The case type cannot change while the case has a status that type does not have. Reopen it first.');
    }
    checkReferences(field, value);
    const after: CaseFields = { ...before, [field]: value };
    const ownIssue = crossFieldIssues(after).find((issue) => issue.path === field);
    if (ownIssue) throw invalidField(field, ownIssue.message);

    const at = now();
    updateColumn.get(field)!.run(fieldToColumnValue(field, value), at, caseId);
    const event = recordEvent({ caseId, kind: 'field', field, oldValue: TEXT_FIELDS.has(field) ? undefined : before[field], newValue: value, at });
    deps.outbox.enqueue('case.updateField', { caseId, field, value, eventId: event.id, baseSeq: serverSeqOf(row, field), at }, at);
    if (field === 'description') deps.search.index(row.rowid, row.id, row.reference, value as string);
    return { caseId, field, value, version: row.version + 1, updatedAt: at, changed: true, missing: completenessIssues(after) };
  });

  const openTx = db.transaction((caseId: string, from: CaseOpenedFrom): CaseDetail => {
    const shown = detail(requireRow(caseId));
    const at = now();
    deps.outbox.enqueue('case.viewed', { caseId, from, at }, at);
    return shown;
  });

  const noteTx = db.transaction((caseId: string, text: string): CaseEvent => {
    const row = requireRow(caseId);
    const at = now();
    touch.run(at, caseId);
    const event = recordEvent({ caseId, kind: 'note', body: text, at });
    deps.outbox.enqueue('case.appendNote', { caseId, noteId: event.id, text, at }, at);
    deps.search.index(row.rowid, row.id, row.reference, row.description);
    return event;
  });

  const callRecorded = db.prepare<[string, string], { id: string }>(
    "SELECT id FROM case_events WHERE case_id = ? AND kind = 'call' AND json_extract(new_value, '$.callId') = ?",
  );
  const callTx = db.transaction((caseId: string, call: CallRecord): CaseEvent | null => {
    requireRow(caseId);
    // Once per call: the live event that ends a call can arrive again (a reconnect's snapshot, a repeated event).
    if (callRecorded.get(caseId, call.callId)) return null;
    const at = now();
    touch.run(at, caseId);
    const event = recordEvent({ caseId, kind: 'call', newValue: call, at });
    deps.outbox.enqueue('case.recordCall', { caseId, eventId: event.id, call, at }, at);
    return event;
  });

  const statusTx = db.transaction((caseId: string, to: CaseStatus): CaseRow => {
    const row = requireRow(caseId);
    const refusal = transitionError(row.type, row.status, to);
    if (refusal !== null || !canTransition(row.type, row.status, to)) {
      throw invalidField('status', refusal ?? 'That status change is not allowed.');
    }
    if (!isOpenStatus(to)) {
      const missing = completenessIssues(rowToFields(row));
      if (missing.length > 0) {
        throw new RefusedError('invalid-input', 'Fill in what is missing before closing the case.', missing);
      }
    }
    const at = now();
    setStatus.run(to, isOpenStatus(to) ? null : at, at, caseId);
    const event = recordEvent({ caseId, kind: 'status', field: 'status', oldValue: row.status, newValue: to, at });
    deps.outbox.enqueue('case.changeStatus', { caseId, from: row.status, to, eventId: event.id, at }, at);
    return requireRow(caseId);
  });

  return {
    create(input: { type: CaseType; channel: Channel; callerId?: string | null }): CaseDetail {
      const callerId = input.callerId ?? null;
      if (callerId !== null && !deps.callers.get(callerId)) {
        throw invalidField('callerId', 'That caller is not on this desk. Look the caller up by their number first.');
      }
      return detail(createTx.immediate({ type: input.type, channel: input.channel, callerId }));
    },

    /** Saves one field (the autosave path). The value is checked and normalised first; an unchanged value writes nothing. */
    updateField(caseId: string, field: CaseFieldName, rawValue: unknown): FieldSaved {
      const checked = validateField(field, rawValue);
      if (!checked.ok) throw invalidField(field, checked.message);
      return updateTx.immediate(caseId, field, checked.value);
    },

    /** Puts a finished call's times and outcome on its case (once per call); null when it is already there. */
    recordCall(caseId: string, call: CallRecord): CaseEvent | null {
      return callTx.immediate(caseId, call);
    },
    appendNote(caseId: string, text: string): CaseEvent {
      const checked = validateNote(text);
      if (!checked.ok) throw invalidField('note', checked.message);
      return noteTx.immediate(caseId, checked.text);
    },

    changeStatus(caseId: string, to: CaseStatus): CaseDetail {
      return detail(statusTx.immediate(caseId, to));
    },

    get(caseId: string): CaseDetail {
      return detail(requireRow(caseId));
    },

    /**
     * One case, shown to the handler: read with its report for the central audit log (who, which case, when, why)
     * in one transaction, so a case shown from the desk's own copy is audited as a read through the API is. For a
     * handler opening a case; refreshes of a case already open use `get`.
     */
    open(caseId: string, from: CaseOpenedFrom): CaseDetail {
      return openTx.immediate(caseId, from);
    },

    /** Newest first, filtered, paged by an opaque cursor (keyset paging: page 1,000 is as fast as page 1). */
    list(rawFilters: CaseListFilters): CaseListPage {
      const filters = caseListFiltersSchema.parse(rawFilters);
      const where: string[] = [];
      const params: Record<string, unknown> = {};
      if (filters.status === 'open' || filters.status === 'closed') {
        where.push(`c.status ${filters.status === 'open' ? 'IN' : 'NOT IN'} ${OPEN_STATUS_SQL}`);
      } else if (filters.status) {
        where.push('c.status = @status');
        params.status = filters.status;
      }
      if (filters.type) {
        where.push('c.type = @type');
        params.type = filters.type;
      }
      if (filters.mine) {
        where.push('c.owner_id = @owner');
        params.owner = deps.actor().id;
      }
      if (filters.providerId) {
        where.push('c.provider_id = @provider');
        params.provider = filters.providerId;
      }
      if (filters.from) {
        where.push('c.created_at >= @from');
        params.from = `${filters.from}T00:00:00.000Z`;
      }
      if (filters.to) {
        where.push('c.created_at < @to');
        params.to = new Date(Date.parse(`${filters.to}T00:00:00.000Z`) + 86_400_000).toISOString();
      }
      if (filters.cursor) {
        const [createdAt, id] = decodeCursor(filters.cursor);
        where.push('(c.created_at < @cursorAt OR (c.created_at = @cursorAt AND c.id < @cursorId))');
        params.cursorAt = createdAt;
        params.cursorId = id;
      }
      // The limit is in the text, as a bound one makes SQLite prepare the statement again at every run (see
      // `limitedStatements`); the schema has checked it is a whole number.
      const sql = `${CASE_LIST_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.created_at DESC, c.id DESC LIMIT ${filters.limit + 1}`;
      const rows = listStatement(sql).all(params) as CaseListRow[];
      const page = rows.slice(0, filters.limit);
      const last = page.at(-1);
      return {
        items: page.map(rowToSummary),
        nextCursor: rows.length > filters.limit && last ? encodeCursor(last.created_at, last.id) : null,
      };
    },
  };
}

export type CaseRepository = ReturnType<typeof createCaseRepository>;

function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(`${createdAt}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  const [createdAt, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!createdAt || !id || Number.isNaN(Date.parse(createdAt))) throw invalidField('cursor', 'That page link is not valid. Start the list again.');
  return [createdAt, id];
}
