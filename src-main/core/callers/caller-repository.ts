import type { Database } from 'better-sqlite3';
import type { Caller, CallerLookup } from '../../../src-shared/contract/cases';
import { normalisePhoneNumber } from '../../../src-shared/domain/phone-number';
import { CASE_LIST_SELECT, OPEN_STATUS_SQL, rowToSummary, type CaseListRow } from '../cases/case-rows';
import type { Clock } from '../clock';
import { invalidField, RefusedError } from '../errors';
import type { Outbox } from '../sync/outbox';

interface CallerRow {
  id: string;
  phone: string | null;
  name: string | null;
  flags: string;
  created_at: string;
  updated_at: string;
}

function rowToCaller(row: CallerRow): Caller {
  return { id: row.id, phone: row.phone, name: row.name, flags: JSON.parse(row.flags) as string[], createdAt: row.created_at };
}

export const RECENT_CASES_LIMIT = 20;
/** Word for word the WHERE clause of the `cases_open_by_caller` index (migration 0090), so SQLite uses it. */
/** The open statuses, in the order migration 0090's partial index names them (a test checks the plan uses it). */
export const OPEN_STATUSES = OPEN_STATUS_SQL;
/** A number already in E.164 form, as telephony gives it; a stored number matching it needs no parsing. */
const E164_SHAPE = /^\+[1-9]\d{6,14}$/;

/** Callers and the screen pop: who is ringing, their flags, their open cases and their last 20. */
export function createCallerRepository(db: Database, deps: { clock: Clock; newId: () => string; outbox: Outbox }) {
  const byId = db.prepare<[string], CallerRow>('SELECT * FROM callers WHERE id = ?');
  const byPhone = db.prepare<[string], CallerRow>('SELECT * FROM callers WHERE phone = ?');
  const byAlias = db.prepare<[string], CallerRow>('SELECT c.* FROM caller_aliases a JOIN callers c ON c.id = a.caller_id WHERE a.alias_id = ?');
  const insert = db.prepare('INSERT INTO callers (id, phone, name, flags, created_at, updated_at) VALUES (@id, @phone, @name, @flags, @at, @at)');
  const update = db.prepare('UPDATE callers SET phone = @phone, name = @name, flags = @flags, updated_at = @at WHERE id = @id');
  const recent = db.prepare<[string], CaseListRow>(`${CASE_LIST_SELECT} WHERE c.caller_id = ? ORDER BY c.created_at DESC LIMIT ${RECENT_CASES_LIMIT}`);
  const open = db.prepare<[string], CaseListRow>(
    `${CASE_LIST_SELECT} WHERE c.caller_id = ? AND c.status IN ${OPEN_STATUSES} ORDER BY c.created_at DESC LIMIT ${RECENT_CASES_LIMIT}`,
  );

  const saveTx = db.transaction((input: { callerId?: string; phone: string | null; name: string | null; flags: string[] }): Caller => {
    const at = new Date(deps.clock.now()).toISOString();
    const samePhone = input.phone ? byPhone.get(input.phone) : undefined;
    const existing = input.callerId ? byId.get(input.callerId) : samePhone;
    if (input.callerId && !existing) throw new RefusedError('not-found', 'That caller is not on this desk.');
    if (existing && samePhone && samePhone.id !== existing.id) {
      throw invalidField('phone', 'Another caller already has that number. Open that caller instead.');
    }
    const row = { id: existing?.id ?? deps.newId(), phone: input.phone, name: input.name, flags: JSON.stringify([...new Set(input.flags)].sort()), at };
    (existing ? update : insert).run(row);
    deps.outbox.enqueue('caller.upsert', { callerId: row.id, phone: row.phone, name: row.name, flags: JSON.parse(row.flags) as string[], at }, at);
    return rowToCaller(byId.get(row.id)!);
  });

  return {
    get(id: string): Caller | null {
      const row = byId.get(id);
      return row ? rowToCaller(row) : null;
    },

    /** The caller an id names now: that caller, or the one it was merged into (see migration 0160); else null. */
    named(id: string): Caller | null {
      const row = byId.get(id) ?? byAlias.get(id);
      return row ? rowToCaller(row) : null;
    },

    /**
     * The screen pop. The number is normalised first; a number that is not one is refused with the hint. Stored
     * numbers are normalised, so a number in E.164 that matches one is valid and skips the parser (about a fifth
     * of a lookup's time).
     */
    lookup(rawPhone: string): CallerLookup {
      let e164: string;
      let row = E164_SHAPE.test(rawPhone) ? byPhone.get(rawPhone) : undefined;
      if (row) {
        e164 = rawPhone;
      } else {
        const phone = normalisePhoneNumber(rawPhone);
        if (!phone.ok) throw invalidField('phone', phone.message);
        e164 = phone.e164;
        row = byPhone.get(e164);
      }
      if (!row) return { phone: e164, caller: null, openCases: [], recentCases: [] };
      return {
        phone: e164,
        caller: rowToCaller(row),
        openCases: open.all(row.id).map(rowToSummary),
        recentCases: recent.all(row.id).map(rowToSummary),
      };
    },

    /** Creates a caller, or updates one (by id, or the one that already has this number). */
    save(input: { callerId?: string; phone: string | null; name: string | null; flags: string[] }): Caller {
      let phone: string | null = null;
      if (input.phone !== null && input.phone.trim() !== '') {
        const checked = normalisePhoneNumber(input.phone);
        if (!checked.ok) throw invalidField('phone', checked.message);
        phone = checked.e164;
      }
      const name = input.name?.trim() || null;
      if (phone === null && name === null) throw invalidField('phone', 'Enter the caller’s number or name.');
      return saveTx.immediate({ ...input, phone, name });
    },
  };
}

export type CallerRepository = ReturnType<typeof createCallerRepository>;
