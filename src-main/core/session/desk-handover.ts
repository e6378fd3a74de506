import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { User } from '../../../src-shared/api/people';
import { RefusedError } from '../errors';
import type { Logger } from '../logger';
import type { createSettings } from '../settings';
import { createWaitingCount } from '../sync/outbox';

/** Settings that say whose desk this is: the handler it syncs for, and the sync client id it uses for them. */
const BOUND_USER_KEY = 'syncUserId';
const BOUND_NAME_KEY = 'syncUserName';
const CLIENT_ID_KEY = 'syncClientId';
/** What sync remembers for the bound handler: where their pull has got to, and when it last finished. */
const HANDLER_SYNC_KEYS = ['syncCursor', 'lastSyncedAt'] as const;

/**
 * The local tables that hold a handler's team's work, emptied when the desk passes to another handler, children
 * before parents. Reference data (categories, providers, queues, dispositions) is everyone's and stays; so do the
 * desk's settings that are not the handler's (install id, desk tag, reference numbers already used). The search
 * index is cleared with them, always in the same transaction: a case pulled next may take a deleted case's rowid,
 * and its first entry is written without replacing one (`indexNew`).
 */
const TEAM_TABLES = ['case_conflicts', 'case_events', 'calls', 'cases', 'caller_aliases', 'callers', 'team_users'] as const;

export type Admission = 'first-handler' | 'same-handler' | 'handed-over';

/**
 * A shared desk (hot desking): one handler at a time, who may be a different one from the last. The desk keeps its
 * handler's team data and a sync client id for them. Another handler may take the desk only when everything the last
 * one did has reached the central API (the outbox is empty): the desk then empties its team tables, forgets the sync
 * cursor, and takes a fresh client id, so the new handler's first sync pulls their own team's work from the start
 * and nothing of the last handler's is pushed or shown under the new name. Otherwise the desk is refused and left
 * exactly as it was.
 */
export function createDeskHandover(db: Database, deps: { settings: ReturnType<typeof createSettings>; installId: string; clock: { now(): number }; logger: Logger }) {
  const log = deps.logger.child({ component: 'desk-handover' });
  const { settings } = deps;
  const waitingCount = createWaitingCount(db);
  const beginHandover = db.prepare<[string]>('INSERT INTO desk_handover (id, started_at) VALUES (1, ?)');
  const endHandover = db.prepare('DELETE FROM desk_handover');
  const clearTables = TEAM_TABLES.map((table) => db.prepare(`DELETE FROM ${table}`));
  const clearSearch = db.prepare("INSERT INTO case_search (case_search) VALUES ('delete-all')");
  // The outbox is empty: the new client id's first mutation must be 1, as the central API expects of a new client.
  const restartMutationIds = db.prepare("DELETE FROM sqlite_sequence WHERE name = 'outbox'");
  const forgetSync = db.prepare(`DELETE FROM settings WHERE key IN (${HANDLER_SYNC_KEYS.map(() => '?').join(', ')})`);

  function bind(user: User, clientId?: string): void {
    settings.set(BOUND_USER_KEY, user.id);
    settings.set(BOUND_NAME_KEY, user.name);
    if (clientId) settings.set(CLIENT_ID_KEY, clientId);
  }

  const handOver = db.transaction((user: User): void => {
    // Reports of cases read (opened, shown in a list) count too: they must reach the central audit log under the
    // handler who read them.
    const { pending: changes, reports } = waitingCount();
    if (changes + reports > 0) {
      const who = settings.get<string>(BOUND_NAME_KEY) ?? 'the last handler';
      const waiting = [
        changes === 0 ? null : changes === 1 ? '1 change' : `${changes} changes`,
        reports === 0 ? null : reports === 1 ? '1 report for the audit log' : `${reports} reports for the audit log`,
      ]
        .filter((part) => part !== null)
        .join(' and ');
      throw new RefusedError(
        'forbidden',
        `This desk still has ${waiting} by ${who} waiting to reach the central service, so it cannot be handed to you yet. ` +
          `Connect the desk and let them sync, or ask ${who} to sign in here to send them; then sign in again.`,
      );
    }
    beginHandover.run(new Date(deps.clock.now()).toISOString());
    for (const clear of clearTables) clear.run();
    clearSearch.run();
    endHandover.run();
    restartMutationIds.run();
    forgetSync.run(...HANDLER_SYNC_KEYS);
    bind(user, randomUUID());
  });

  return {
    /** The sync client id for the desk's handler. A desk from before hot desking keeps its install id. */
    clientId(): string {
      return settings.get<string>(CLIENT_ID_KEY) ?? deps.installId;
    },

    /** True when `user` signing in would hand the desk over from another handler. */
    isHandover(user: User): boolean {
      const bound = settings.get<string>(BOUND_USER_KEY);
      return bound !== undefined && bound !== user.id;
    },

    /**
     * Lets `user` have the desk, handing it over from the last handler when it is someone else; throws a
     * RefusedError, having changed nothing, while the last handler's changes are still waiting. The caller must have
     * stopped sync first, so no cycle of the last handler's is under way.
     */
    admit(user: User): Admission {
      const bound = settings.get<string>(BOUND_USER_KEY);
      if (bound === user.id) {
        settings.set(BOUND_NAME_KEY, user.name);
        return 'same-handler';
      }
      if (bound === undefined) {
        // The first handler on a new desk takes it as it is, with anything typed on it before anyone signed in.
        bind(user);
        return 'first-handler';
      }
      handOver.immediate(user);
      log.info({ userId: user.id }, 'desk handed over to another handler; their team data will be pulled');
      return 'handed-over';
    },
  };
}

export type DeskHandover = ReturnType<typeof createDeskHandover>;
