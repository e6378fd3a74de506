import type { CaseSummary } from '../../../src-shared/contract/cases';
import type { CaseFields, CaseFieldName, CaseFlags } from '../../../src-shared/domain/case-record';
import { emptyFlags } from '../../../src-shared/domain/case-record';
import type { CaseStatus } from '../../../src-shared/domain/statuses';
import { caseStatuses, isOpenStatus } from '../../../src-shared/domain/statuses';

/** A row of `cases` as SQLite returns it. */
export interface CaseRow {
  rowid: number;
  id: string;
  reference: string;
  type: CaseFields['type'];
  channel: CaseFields['channel'];
  status: CaseStatus;
  category: CaseFields['category'];
  provider_id: string | null;
  department: string | null;
  description: string;
  priority: CaseFields['priority'];
  flags: string;
  commissioning: CaseFields['commissioning'];
  contact_method: CaseFields['contactMethod'];
  contact_phone: string | null;
  contact_email: string | null;
  caller_id: string | null;
  previous_reference: string | null;
  owner_id: string;
  created_by: string;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  version: number;
}

/** A case row joined with its provider's and caller's names, for lists. */
export interface CaseListRow extends CaseRow {
  provider_name: string | null;
  caller_name: string | null;
  caller_phone: string | null;
}

/** Which column holds each editable field. */
export const FIELD_COLUMNS: Record<CaseFieldName, keyof CaseRow> = {
  type: 'type',
  channel: 'channel',
  category: 'category',
  providerId: 'provider_id',
  department: 'department',
  description: 'description',
  priority: 'priority',
  flags: 'flags',
  commissioning: 'commissioning',
  contactMethod: 'contact_method',
  contactPhone: 'contact_phone',
  contactEmail: 'contact_email',
  callerId: 'caller_id',
  previousReference: 'previous_reference',
};

export function rowToFields(row: CaseRow): CaseFields {
  return {
    type: row.type,
    channel: row.channel,
    category: row.category,
    providerId: row.provider_id,
    department: row.department,
    description: row.description,
    priority: row.priority,
    flags: { ...emptyFlags(), ...(JSON.parse(row.flags) as Partial<CaseFlags>) },
    commissioning: row.commissioning,
    contactMethod: row.contact_method,
    contactPhone: row.contact_phone,
    contactEmail: row.contact_email,
    callerId: row.caller_id,
    previousReference: row.previous_reference,
  };
}

/** The value as stored in its column (flags are JSON text). */
export function fieldToColumnValue(field: CaseFieldName, value: unknown): string | null {
  if (field === 'flags') return JSON.stringify(value);
  return value as string | null;
}

const PREVIEW_LENGTH = 160;

export function rowToSummary(row: CaseListRow): CaseSummary {
  return {
    id: row.id,
    reference: row.reference,
    type: row.type,
    channel: row.channel,
    status: row.status,
    isOpen: isOpenStatus(row.status),
    priority: row.priority,
    category: row.category,
    providerId: row.provider_id,
    providerName: row.provider_name,
    callerId: row.caller_id,
    callerName: row.caller_name,
    callerPhone: row.caller_phone,
    preview: row.description.length > PREVIEW_LENGTH ? `${row.description.slice(0, PREVIEW_LENGTH - 1)}…` : row.description,
    ownerId: row.owner_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The SELECT that produces `CaseListRow`s; callers add WHERE, ORDER BY and LIMIT. */
export const CASE_LIST_SELECT = `
  SELECT c.rowid AS rowid, c.*, p.name AS provider_name, cl.name AS caller_name, cl.phone AS caller_phone
  FROM cases c
  LEFT JOIN providers p ON p.id = c.provider_id
  LEFT JOIN callers cl ON cl.id = c.caller_id`;

/** The open statuses as an SQL list, derived from the domain rule so the two cannot drift apart. */
export const OPEN_STATUS_SQL = `(${caseStatuses.filter(isOpenStatus).map((status) => `'${status}'`).join(', ')})`;
