import type { Database } from 'better-sqlite3';
import type { SyncState } from '../../../src-shared/contract/session';
import { listedCaseCount, MAX_PULL_CHANGES, MAX_PUSH_LISTED_CASES, MAX_PUSH_MUTATIONS, type Change, type Mutation } from '../../../src-shared/sync/protocol';
import type { CaseSearchIndex } from '../cases/case-search';
import type { Clock, Timers } from '../clock';
import type { Logger } from '../logger';
import type { createSettings } from '../settings';
import { commitWithoutFlush } from '../db/commit-without-flush';
import { deferIndexes, restoreDeferredIndexes } from '../db/deferred-indexes';
import { createChangeApplier, PendingEdits } from './apply-changes';
import type { Outbox } from './outbox';
import { SyncAuthError, SyncRefusedError, SyncUnavailableError, type SyncTransport } from './sync-transport';

/**
 * What the app shows about sync (declared once, in the desktop contract): the status, the handler's changes the central
 * API does not have yet and, apart, the desk's reports of cases opened (for its audit log), `{ done, total }` while catching up (more than one batch to push, or more than one page to
 * pull), when the last sync finished, and what went wrong in words for a person.
 */
export type { SyncState };
export type SyncStatus = SyncState['status'];

export const DEFAULT_PUSH_BATCH = 200;
/** Keeps a push body well inside the API's 1 MiB limit, however long the notes in it. */
export const MAX_PUSH_BYTES = 512 * 1024;
export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 30_000;
/** How often an idle, online desk pulls other people's changes. */
export const SYNC_INTERVAL_MS = 15_000;
/** How long after a local write the desk pushes it: keystroke autosaves in a burst go in one push. */
export const NUDGE_DELAY_MS = 100;

const CURSOR_KEY = 'syncCursor';
const LAST_SYNCED_KEY = 'lastSyncedAt';
/**
 * A first catch-up (an empty cache, or a desk handed to another handler) fills these tables with the team's cases
 * and timelines: their secondary indexes are built once at its end rather than kept up row by row. Kept: the one
 * the apply itself asks (has this case its creation event yet?); the id and reference indexes are constraints.
 */
const BULK_LOAD_TABLES = ['cases', 'case_events'];
const BULK_LOAD_KEEPS = ['case_events_by_case'];

/**
 * The wait before retry number `attempt` (0 for the first): "full jitter" (a uniform draw below an exponentially
 * growing ceiling, capped), so many desks coming back after an outage do not all retry at the same instant.
 */
export function backoffDelay(attempt: number, random: () => number, baseMs = BACKOFF_BASE_MS, capMs = BACKOFF_CAP_MS): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

export interface SyncEngineDeps {
  db: Database;
  outbox: Outbox;
  settings: ReturnType<typeof createSettings>;
  search: CaseSearchIndex;
  clock: Clock;
  timers: Timers;
  logger: Logger;
  transport: SyncTransport;
  /** This install's sync client id (a UUID). */
  clientId: string;
  /** For the backoff's jitter; `Math.random` by default. */
  random?: () => number;
  /** Mutations per push, at most MAX_PUSH_MUTATIONS. */
  batchSize?: number;
  /** Changes per pull page, at most MAX_PULL_CHANGES. */
  pullLimit?: number;
  intervalMs?: number;
  /** Told which cases a pulled page changed (their fields, timeline or conflicts), so open screens can show it. */
  onCasesChanged?: (caseIds: string[]) => void;
}

/** The cases a page of pulled changes touches. */
export function casesChangedBy(changes: readonly Change[]): string[] {
  const ids = new Set<string>();
  for (const change of changes) {
    if (change.entity === 'case') ids.add(change.entityId);
    else if (change.entity === 'caseEvent' || change.entity === 'conflict') {
      const caseId = (change.data as { caseId?: unknown } | null)?.caseId;
      if (typeof caseId === 'string') ids.add(caseId);
    }
  }
  return [...ids];
}

/**
 * The desktop's sync engine (DESIGN.md, "Sync"). One cycle pushes the outbox in mutation-id order (what it held when
 * the cycle began), dropping entries only once the server has acknowledged them, then pulls every page after the
 * stored cursor, applying each page and its cursor in one transaction. Cycles never overlap. Online, it syncs
 * shortly after each local write (`nudge`) and every SYNC_INTERVAL_MS (at once when writes made during a cycle are
 * waiting); offline or refused, it retries with backoff; signed out, it waits for `start()`.
 */
export function createSyncEngine(deps: SyncEngineDeps) {
  const log = deps.logger.child({ component: 'sync' });
  const random = deps.random ?? Math.random;
  const batchSize = Math.max(1, Math.min(deps.batchSize ?? DEFAULT_PUSH_BATCH, MAX_PUSH_MUTATIONS));
  const pullLimit = Math.max(1, Math.min(deps.pullLimit ?? MAX_PULL_CHANGES, MAX_PULL_CHANGES));
  const intervalMs = deps.intervalMs ?? SYNC_INTERVAL_MS;
  const applier = createChangeApplier(deps.db, { search: deps.search, logger: deps.logger });
  const listeners = new Set<(state: SyncState) => void>();

  let state: SyncState = {
    status: 'offline',
    ...deps.outbox.waiting(),
    progress: null,
    lastSyncedAt: deps.settings.get<string>(LAST_SYNCED_KEY) ?? null,
    problem: null,
  };
  let started = false;
  let signedOut = false;
  let attempt = 0;
  let nextTimer: unknown = null;
  let nudgeTimer: unknown = null;
  let running: Promise<void> | null = null;
  let queued: Promise<void> | null = null;

  /**
   * The counts of what waits, out of date since a local write (`nudge`): counted again when the state is next read,
   * or just after the write's request has been answered, not inside the write (with a day offline the outbox holds
   * thousands of entries, and every autosave and every list shown writes one).
   */
  let waitingStale = false;
  let recountQueued = false;
  function currentState(): SyncState {
    if (waitingStale && deps.db.open) {
      waitingStale = false;
      update(deps.outbox.waiting());
    }
    return state;
  }

  function update(patch: Partial<SyncState>): void {
    const next = { ...state, ...patch };
    const same =
      next.status === state.status &&
      next.pending === state.pending &&
      next.reports === state.reports &&
      next.lastSyncedAt === state.lastSyncedAt &&
      next.problem === state.problem &&
      next.progress?.done === state.progress?.done &&
      next.progress?.total === state.progress?.total;
    if (same) return;
    state = next;
    for (const listener of listeners) {
      try {
        listener(state);
      } catch (error) {
        log.error({ err: error }, 'sync state listener failed');
      }
    }
  }

  function clearNext(): void {
    if (nextTimer !== null) deps.timers.clearTimeout(nextTimer);
    nextTimer = null;
  }

  function clearNudge(): void {
    if (nudgeTimer !== null) deps.timers.clearTimeout(nudgeTimer);
    nudgeTimer = null;
  }

  function scheduleNext(ms: number): void {
    clearNext();
    if (!started || signedOut) return;
    nextTimer = deps.timers.setTimeout(() => {
      nextTimer = null;
      void syncNow();
    }, ms);
  }

  /**
   * The next push batch: in mutation-id order, at most `batchSize` entries, MAX_PUSH_BYTES of JSON and
   * MAX_PUSH_LISTED_CASES cases named by reports of lists shown, none after `upTo` (the newest entry when the cycle
   * began).
   */
  function nextBatch(upTo: number): Mutation[] {
    const batch: Mutation[] = [];
    let bytes = 0;
    let listed = 0;
    for (const entry of deps.outbox.peek(batchSize)) {
      if (entry.mutationId > upTo) break;
      const mutation = { id: entry.mutationId, name: entry.name, args: entry.args } as Mutation;
      const size = Buffer.byteLength(JSON.stringify(mutation));
      const cases = listedCaseCount(mutation);
      if (batch.length > 0 && (bytes + size > MAX_PUSH_BYTES || listed + cases > MAX_PUSH_LISTED_CASES)) break;
      batch.push(mutation);
      bytes += size;
      listed += cases;
    }
    return batch;
  }

  /** Progress across the whole catch-up: mutations pushed, then changes pulled. */
  const progress = { active: false, done: 0, total: 0 };

  /**
   * Pushes what the outbox held when the cycle began, so a desk writing faster than it can push still reaches the
   * pull at the end of each cycle (what it writes meanwhile goes in the next cycle). A long catch-up also pulls
   * every `intervalMs` between its pushes, so the handler sees colleagues' work during it. Pulling between pushes is
   * safe: a pulled page never hides an edit still waiting in the outbox (those are re-applied on top), and it drops
   * only entries the server says it holds.
   */
  async function pushAll(): Promise<number> {
    let pushed = 0;
    let reread = false;
    const upTo = deps.outbox.newestId();
    let pulledAt = deps.clock.now();
    const waiting = deps.outbox.count();
    if (waiting > batchSize) {
      progress.active = true;
      progress.total += waiting;
      update({ progress: { done: progress.done, total: progress.total } });
    }
    // A push the server refused naming one of its mutations: the entries before that one are sent on their own, in
    // shorter pushes, then the refusal is reported (that entry and those after it wait, in order).
    let refusal: SyncRefusedError | null = null;
    for (;;) {
      let batch = nextBatch(upTo);
      if (refusal) {
        const before = refusal.mutationId!;
        batch = batch.filter((mutation) => mutation.id < before);
        if (batch.length === 0) throw refusal;
      }
      const last = batch.at(-1);
      if (!last) return pushed;
      if (deps.clock.now() - pulledAt >= intervalMs) {
        await pullAll(true);
        pulledAt = deps.clock.now();
      }
      let response;
      try {
        response = await deps.transport.push({ clientId: deps.clientId, mutations: batch });
      } catch (error) {
        if (error instanceof SyncRefusedError && error.status === 409 && !reread) {
          // A gap: the server expected another mutation id. Re-read what it holds (the pull acknowledges what it
          // already has) and try once more; a second refusal is reported, and nothing is dropped either way.
          reread = true;
          log.warn({ status: error.status, firstMutationId: batch[0]!.id }, 'push refused as out of order; re-reading the server state');
          await pullAll();
          continue;
        }
        if (error instanceof SyncRefusedError && error.mutationId !== null && error.mutationId > batch[0]!.id && refusal === null) {
          log.warn({ status: error.status, refusedMutationId: error.mutationId, firstMutationId: batch[0]!.id }, 'push refused at one mutation; sending the ones before it');
          refusal = error;
          continue;
        }
        throw error;
      }
      if (response.lastMutationId < last.id) {
        throw new Error(`The central API acknowledged up to ${response.lastMutationId} after a push ending at ${last.id}`);
      }
      const dropped = deps.outbox.acknowledgePushed(response.lastMutationId);
      pushed += dropped;
      const waiting = deps.outbox.waiting();
      if (progress.active) {
        progress.done += dropped;
        progress.total = Math.max(progress.total, progress.done + waiting.pending + waiting.reports);
        update({ ...waiting, progress: { done: progress.done, total: progress.total } });
      } else {
        update(waiting);
      }
      log.debug({ sent: batch.length, applied: response.applied, skipped: response.skipped, conflicts: response.conflicts }, 'pushed a batch');
    }
  }

  const withoutFlush = commitWithoutFlush(deps.db);
  const applyPage = deps.db.transaction((page: Awaited<ReturnType<SyncTransport['pull']>>) => {
    const summary = applier.applyPage(page.changes, new PendingEdits(deps.outbox.pendingEdits()));
    deps.settings.set(CURSOR_KEY, page.cursor);
    deps.outbox.acknowledge(page.lastMutationId);
    return summary;
  });

  /** Pulls every page after the cursor. `midPush`: a pull between pushes, which leaves the push's progress bar alone. */
  async function pullAll(midPush = false): Promise<number> {
    let cursor = deps.settings.get<number>(CURSOR_KEY) ?? 0;
    let received = 0;
    let next = deps.transport.pull({ clientId: deps.clientId, cursor, limit: pullLimit });
    let deferred = 0;
    try {
      for (;;) {
        const page = await next;
        if (page.hasMore && page.cursor <= cursor) throw new Error(`The central API returned a page that does not move the cursor past ${cursor}`);
        if (cursor === 0 && page.hasMore && deferred === 0) {
          // The first catch-up of this cache, and more than a page of it: its indexes are built once at the end.
          deferred = deferIndexes(deps.db, deps.settings, BULK_LOAD_TABLES, BULK_LOAD_KEEPS);
        }
        if (page.hasMore) {
          // The next page is asked for before this one is applied, so the network and the server work on it
          // meanwhile: over a real network a catch-up takes about the longer of the two per page, not their sum. (If
          // this page fails, the cycle ends and no one waits for that answer: its own failure is no news.)
          next = deps.transport.pull({ clientId: deps.clientId, cursor: page.cursor, limit: pullLimit });
          next.catch(() => undefined);
          // One turn of the event loop: the request leaves before the page's synchronous apply holds the thread.
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
        // A page lost to a power cut is pulled again (its cursor is in the same commit): no need to wait for the disk.
        const summary = withoutFlush(() => applyPage.immediate(page));
        const touched = deps.onCasesChanged ? casesChangedBy(page.changes) : [];
        if (touched.length > 0) deps.onCasesChanged!(touched);
        cursor = page.cursor;
        received += page.changes.length;
        if (page.hasMore && !progress.active && !midPush) {
          progress.active = true;
        }
        if (progress.active && !midPush) {
          // The server does not say how many changes are left: while there are more, the bar allows one more page.
          progress.done += page.changes.length;
          progress.total = page.hasMore ? Math.max(progress.total, progress.done + pullLimit) : progress.done;
          update({ ...deps.outbox.waiting(), progress: { done: progress.done, total: progress.total } });
        } else {
          update(deps.outbox.waiting());
        }
        log.debug({ changes: page.changes.length, applied: summary.applied, skipped: summary.skipped, cursor }, 'pulled a page');
        if (!page.hasMore) return received;
      }
    } finally {
      if (deferred > 0) {
        // Also when the catch-up stops half-way: the rest comes a page at a time into indexed tables.
        const built = restoreDeferredIndexes(deps.db, deps.settings);
        log.info({ indexes: built, changes: received }, 'first catch-up: indexes built after the load');
      }
    }
  }

  function fail(error: unknown): void {
    const waiting = deps.outbox.waiting();
    const { pending } = waiting;
    if (error instanceof SyncAuthError) {
      signedOut = true;
      clearNext();
      clearNudge();
      log.warn('sync stopped: the session has ended');
      update({ status: 'signed-out', ...waiting, progress: null, problem: 'Your session has ended. Sign in again to send your changes; nothing you logged is lost.' });
      return;
    }
    const delay = backoffDelay(attempt, random);
    attempt += 1;
    if (error instanceof SyncUnavailableError) {
      log.info({ retryInMs: delay, pending }, 'central API unavailable; will retry');
      update({ status: 'offline', ...waiting, progress: null, problem: error.message });
    } else if (error instanceof SyncRefusedError) {
      log.warn({ status: error.status, retryInMs: delay, pending }, 'central API refused the sync');
      update({ status: 'error', ...waiting, progress: null, problem: error.message });
    } else {
      log.error({ err: error, retryInMs: delay }, 'sync failed unexpectedly');
      update({ status: 'error', ...waiting, progress: null, problem: 'Sync stopped on an unexpected error. It will try again; nothing you logged is lost.' });
    }
    scheduleNext(delay);
  }

  async function cycle(): Promise<void> {
    clearNext();
    progress.active = false;
    progress.done = 0;
    progress.total = 0;
    update({ status: 'syncing', ...deps.outbox.waiting() });
    try {
      // A refused push (one change the server will not take) must not also cut the desk off from everyone
      // else's work: the pull still runs, the refused entries stay in the outbox and on top, then it is reported.
      let refusal: SyncRefusedError | null = null;
      let pushed = 0;
      try {
        pushed = await pushAll();
      } catch (error) {
        if (!(error instanceof SyncRefusedError)) throw error;
        refusal = error;
      }
      const pulled = await pullAll();
      if (refusal) throw refusal;
      attempt = 0;
      signedOut = false;
      const at = new Date(deps.clock.now()).toISOString();
      // When the desk last synced: shown to the handler, and harmless to lose to a power cut.
      withoutFlush(() => deps.settings.set(LAST_SYNCED_KEY, at));
      update({ status: 'online', ...deps.outbox.waiting(), progress: null, lastSyncedAt: at, problem: null });
      if (pushed > 0 || pulled > 0) log.info({ pushed, pulled }, 'synced');
      // Changes written during the cycle were left for the next one: it starts at once.
      scheduleNext(deps.outbox.count() > 0 ? 0 : intervalMs);
    } catch (error) {
      fail(error);
    }
  }

  /** Runs a sync cycle now, or right after the one under way; never two at once. Never rejects: see `state()`. */
  function syncNow(): Promise<void> {
    if (!running) {
      running = cycle()
        .catch((error: unknown) => log.error({ err: error }, 'sync cycle failed while reporting its failure'))
        .finally(() => {
          running = null;
        });
      return running;
    }
    queued ??= running.then(() => {
      queued = null;
      return syncNow();
    });
    return queued;
  }

  return {
    /** Starts syncing (again, after a sign-in): a cycle now, then on writes, on a timer and on retries. */
    start(): void {
      if (started && !signedOut) return;
      started = true;
      signedOut = false;
      attempt = 0;
      void syncNow();
    },
    /** Stops scheduling cycles. Resolves when a cycle under way has finished, so the database can then be closed. */
    async stop(): Promise<void> {
      started = false;
      clearNext();
      clearNudge();
      await (queued ?? running);
    },
    syncNow,
    /** Call after a local change is committed with its outbox entry: the counts are taken again just after, and online it pushes soon. */
    nudge(): void {
      waitingStale = true;
      if (!recountQueued) {
        recountQueued = true;
        setImmediate(() => {
          recountQueued = false;
          currentState();
        });
      }
      if (!started || signedOut || state.status === 'offline' || state.status === 'error' || nudgeTimer !== null) return;
      nudgeTimer = deps.timers.setTimeout(() => {
        nudgeTimer = null;
        void syncNow();
      }, NUDGE_DELAY_MS);
    },
    state: currentState,
    /** Hears every change of state; returns the function that stops it. */
    onChange(listener: (next: SyncState) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type SyncEngine = ReturnType<typeof createSyncEngine>;
