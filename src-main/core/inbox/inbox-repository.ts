import type { Database } from 'better-sqlite3';
import { keptStatements } from '../db/limited-statements';
import { inboxFiltersSchema, type InboxFilters, type InboxItem, type InboxPage } from '../../../src-shared/contract/inbox';
import type { CaseType, Channel } from '../../../src-shared/domain/case-types';
import type { CaseStatus } from '../../../src-shared/domain/statuses';
import { DEFAULT_SERVICE_TARGETS, inboxChannels, serviceTargetsSchema, type ServiceTargets } from '../../../src-shared/inbox/service-targets';
import type { Clock } from '../clock';
import type { createSettings } from '../settings';

/** The account that owns a contact until a handler claims it (the central API's intake account). */
export const INTAKE_OWNER_ID = 'intake';
const TARGETS_KEY = 'inboxServiceTargets';
const PREVIEW_LENGTH = 120;
/**
 * The inbox counts what matches only up to here and then says "1,000+": an exact count walks every matching entry of
 * the index (3-16 ms at 100,000 open contacts, most of the list's time), and past a thousand the number changes
 * nothing a handler does.
 */
export const INBOX_COUNT_CAP = 1000;

/**
 * Which cases are in the shared inbox: open, and either not by phone or a general enquiry. Word for word the WHERE
 * clause of the partial index `cases_inbox` (migration 0140): the query names the index (INDEXED BY), so a change to
 * one without the other fails when the statement is prepared rather than silently reading the whole table.
 */
export const INBOX_WHERE = "c.status IN ('open', 'in-progress', 'escalated', 'referred-to-ombudsman') AND (c.channel <> 'phone' OR c.type = 'general-enquiry')";

interface InboxRow {
  id: string;
  reference: string;
  type: CaseType;
  channel: Channel;
  status: CaseStatus;
  created_at: string;
  owner_id: string;
  owner_name: string | null;
  description: string;
  message_body: string | null;
  message_at: string | null;
  message_value: string | null;
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > PREVIEW_LENGTH ? `${flat.slice(0, PREVIEW_LENGTH - 1)}…` : flat;
}

function rowToItem(row: InboxRow): InboxItem {
  const direction = row.message_value ? (JSON.parse(row.message_value) as { direction?: unknown }).direction : null;
  const claimed = row.owner_id !== INTAKE_OWNER_ID;
  return {
    id: row.id,
    reference: row.reference,
    type: row.type,
    channel: row.channel,
    status: row.status,
    createdAt: row.created_at,
    ownerId: row.owner_id,
    ownerName: claimed ? (row.owner_name ?? 'Another handler') : null,
    claimed,
    preview: preview(row.message_body ?? row.description),
    lastMessageAt: row.message_at,
    lastMessageDirection: direction === 'inbound' || direction === 'outbound' ? direction : null,
  };
}

/** Inbox statements kept prepared: a page and a count for each set of filters (and page size) in use. */
const INBOX_STATEMENTS_KEPT = 128;

/**
 * The shared inbox, read from the local cache: the oldest contacts first, filtered as the screen asks, each with its
 * newest message and who has it. One statement per combination of filters, prepared once.
 */
export function createInboxRepository(db: Database, deps: { clock: Clock; settings: ReturnType<typeof createSettings>; userId: () => string }) {
  const kept = keptStatements(db, INBOX_STATEMENTS_KEPT);

  function targets(): ServiceTargets {
    const stored = serviceTargetsSchema.safeParse({ ...DEFAULT_SERVICE_TARGETS, ...(deps.settings.get<Partial<ServiceTargets>>(TARGETS_KEY) ?? {}) });
    return stored.success ? stored.data : DEFAULT_SERVICE_TARGETS;
  }

  /**
   * `byOwner`: the filter names an owner, so the index by owner reads only that owner's contacts. The page's limit
   * is in its text, as a bound one makes SQLite prepare the statement again at every run (see `limitedStatements`).
   */
  function statementsFor(where: string, byOwner: boolean, limit: number) {
    const index = byOwner ? 'cases_inbox_by_owner' : 'cases_inbox';
    return {
      page: kept(`
          SELECT c.id, c.reference, c.type, c.channel, c.status, c.created_at, c.owner_id, c.description,
            (SELECT u.name FROM team_users u WHERE u.user_id = c.owner_id LIMIT 1) AS owner_name,
            m.body AS message_body, m.at AS message_at, m.new_value AS message_value
          FROM cases c INDEXED BY ${index}
          LEFT JOIN case_events m ON m.rowid = (
            SELECT e.rowid FROM case_events e WHERE e.case_id = c.id AND e.kind = 'message' ORDER BY e.at DESC, e.rowid DESC LIMIT 1)
          WHERE ${where}
          ORDER BY c.created_at, c.id
          LIMIT ${limit}`),
      count: kept(`SELECT count(*) AS n FROM (SELECT 1 FROM cases c INDEXED BY ${index} WHERE ${where} LIMIT ${INBOX_COUNT_CAP + 1})`),
    };
  }

  return {
    targets,

    setTargets(next: ServiceTargets): ServiceTargets {
      const checked = serviceTargetsSchema.parse(next);
      deps.settings.set(TARGETS_KEY, checked);
      return checked;
    },

    list(rawFilters: InboxFilters): InboxPage {
      const filters = inboxFiltersSchema.parse(rawFilters);
      const now = deps.clock.now();
      const serviceTargets = targets();
      const where = [INBOX_WHERE];
      const params: Record<string, unknown> = {};
      if (filters.channel) {
        where.push('c.channel = @channel');
        params.channel = filters.channel;
      }
      if (filters.type) {
        where.push('c.type = @type');
        params.type = filters.type;
      }
      if (filters.status) {
        where.push('c.status = @status');
        params.status = filters.status;
      }
      if (filters.owner === 'unclaimed') {
        where.push('c.owner_id = @owner');
        params.owner = INTAKE_OWNER_ID;
      } else if (filters.owner === 'mine') {
        where.push('c.owner_id = @owner');
        params.owner = deps.userId();
      }
      const hours = { 'over-1h': 1, 'over-4h': 4, 'over-24h': 24 } as const;
      if (filters.age === 'overdue') {
        // Past its channel's target: one range per channel, all read from the index.
        where.push(`(${inboxChannels.map((channel) => `(c.channel = '${channel}' AND c.created_at <= @due_${channel})`).join(' OR ')})`);
        for (const channel of inboxChannels) params[`due_${channel}`] = new Date(now - serviceTargets[channel] * 60_000).toISOString();
      } else if (filters.age !== 'any') {
        where.push('c.created_at <= @olderThan');
        params.olderThan = new Date(now - hours[filters.age] * 3_600_000).toISOString();
      }
      const { page, count } = statementsFor(where.join(' AND '), filters.owner !== 'any', filters.limit);
      const rows = page.all(params) as InboxRow[];
      const counted = (count.get(params) as { n: number }).n;
      return {
        items: rows.map(rowToItem),
        total: Math.min(counted, INBOX_COUNT_CAP),
        totalCapped: counted > INBOX_COUNT_CAP,
        targets: serviceTargets,
        now: new Date(now).toISOString(),
      };
    },
  };
}

export type InboxRepository = ReturnType<typeof createInboxRepository>;
