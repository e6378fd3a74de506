import type { FileSaver } from './files/file-saver';
import { callRecordOf, type LiveEvent } from '../../src-shared/telephony/model';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentState, SetAgentStateInput } from '../../src-shared/contract/agent-state';
import type { AppInfo } from '../../src-shared/contract/desktop-contract';
import type { LiveConnectionState } from '../../src-shared/contract/live';
import type { SessionState, SyncState } from '../../src-shared/contract/session';
import type { CentralHealth } from '../../src-shared/health';
import type { CaseListFilters } from '../../src-shared/contract/cases';
import type { InboxFilters } from '../../src-shared/contract/inbox';
import { v7 as uuidv7 } from 'uuid';
import { createCallerRepository } from './callers/caller-repository';
import { createCaseRepository, type Actor } from './cases/case-repository';
import { createCaseSearchIndex } from './cases/case-search';
import { createShownCasesReport } from './cases/shown-cases';
import { createReferenceAllocator } from './cases/reference-allocator';
import { createCentralApiClient } from './central-api-client';
import { systemTimers, type Clock, type Timers } from './clock';
import { openDatabase } from './db/open-database';
import { schemaVersion } from './db/migrate';
import { createStorageMaintenance } from './db/storage-maintenance';
import { createEventHub } from './event-hub';
import { createHealthMonitor } from './health-monitor';
import { createAuthorisedRequest } from './api/authorised-request';
import { createLiveConnection, type LiveConnectionOptions } from './live/live-connection';
import { createLivePicture } from './live/live-picture';
import { createModerationService } from './moderation/moderation-service';
import { createReportsService } from './reports/reports-service';
import { createInboxRepository } from './inbox/inbox-repository';
import { createInboxService } from './inbox/inbox-service';
import { createTelephonyService } from './telephony/telephony-service';
import type { Logger } from './logger';
import { createReferenceRepository } from './reference-data/reference-repository';
import { seedDemoReferenceData } from './reference-data/demo-seed';
import { memoryVault, type CredentialVault } from './session/credential-vault';
import { createDeskHandover } from './session/desk-handover';
import { createSessionManager } from './session/session-manager';
import { createSettings } from './settings';
import { createHttpSyncTransport } from './sync/http-sync-transport';
import { createOutbox } from './sync/outbox';
import { createSyncEngine, type SyncEngine } from './sync/sync-engine';
import type { SyncTransport } from './sync/sync-transport';

export const DATABASE_FILE_NAME = 'care-desk.sqlite3';

export interface DesktopCoreDeps {
  /** The app's data folder; the local cache lives here. */
  dataDir: string;
  centralApiUrl: string;
  /** True when the central API runs inside this desktop (the demo and training default). */
  centralApiEmbedded: boolean;
  fetch: typeof fetch;
  clock: Clock;
  logger: Logger;
  appName: string;
  appVersion: string;
  shell: AppInfo['shell'];
  platform: string;
  timers?: Timers;
  healthIntervalMs?: number;
  /** Seed the demo organisation's reference data into an empty cache (default true). */
  seedDemoData?: boolean;
  /** Id generator; UUIDv7 by default, so ids sort by creation time. */
  newId?: () => string;
  /** Where the sign-in is kept between restarts; memory only by default. */
  vault?: CredentialVault;
  /** The system's save dialog (Electron); without it, files are downloaded by the page (browser mode). */
  fileSaver?: FileSaver;
  /** Wraps the sync transport: tests inject faults here. */
  syncTransport?: (real: SyncTransport) => SyncTransport;
  /** Tuning of the sync engine (tests): jitter source, push batch and pull page sizes. */
  syncOptions?: { random?: () => number; batchSize?: number; pullLimit?: number };
  /** Start and stop sync with the session (default true). Tests that drive the engine by hand turn it off. */
  autoSync?: boolean;
  /** Hold the live connection to the central API (offers, calls, queue figures) while signed in (default true). */
  liveEvents?: boolean;
  /** Tuning of the live connection (tests): timers, jitter source, backoff, heartbeat timeout. */
  liveOptions?: LiveConnectionOptions;
}

/** How long signing out waits for what is waiting in the outbox to reach the central API. */
export const SIGN_OUT_SYNC_MS = 5_000;

/**
 * The desktop's core: everything the renderer can ask for, in plain Node. It knows nothing of Electron or of the
 * transport that carries its answers; tests build it directly.
 */
export function createDesktopCore(deps: DesktopCoreDeps) {
  const log = deps.logger.child({ component: 'core' });
  mkdirSync(deps.dataDir, { recursive: true });
  const databasePath = join(deps.dataDir, DATABASE_FILE_NAME);
  const db = openDatabase(databasePath);
  const settings = createSettings(db, deps.clock);
  const installId = settings.getOrCreate('installId', () => randomUUID());
  const handover = createDeskHandover(db, { settings, installId, clock: deps.clock, logger: deps.logger });
  if (deps.seedDemoData ?? true) seedDemoReferenceData(db);
  const newId = deps.newId ?? (() => uuidv7());
  const events = createEventHub((error) => log.error({ err: error }, 'event listener failed'));
  const session = createSessionManager({
    baseUrl: deps.centralApiUrl,
    fetch: deps.fetch,
    vault: deps.vault ?? memoryVault(),
    clock: deps.clock,
    logger: deps.logger,
    onChange: (state) => {
      events.emit('session.changed', state);
      if (deps.autoSync !== false) {
        if (state.status === 'signed-in') sync?.start();
        else void sync?.stop();
      }
      if (state.status === 'signed-in') live?.start();
      else {
        live?.stop();
        livePicture.clear();
      }
      publishSyncState();
    },
  });
  // Changes are made as the signed-in handler. A desk used before anyone signed in writes as itself; the central
  // API records the pushing user as the author in any case.
  const actor = (): Actor => {
    const user = session.user();
    return user ? { id: user.id, name: user.name } : { id: `desk-${installId.slice(0, 8)}`, name: 'This desk' };
  };
  const timers = deps.timers ?? systemTimers;
  const maintenance = createStorageMaintenance(db, { timers });
  let sync: SyncEngine | null = null;
  /** Set by start(): the core watches the connection only once the app has started it. */
  let started = false;
  // A nudge only sets a timer, so the push starts after the write's transaction has committed.
  const outbox = createOutbox(db, {
    afterEnqueue: () => {
      maintenance.noteWrite();
      sync?.nudge();
    },
  });
  const search = createCaseSearchIndex(db);
  const callers = createCallerRepository(db, { clock: deps.clock, newId, outbox });
  const referenceData = createReferenceRepository(db);
  const cases = createCaseRepository(db, {
    clock: deps.clock,
    newId,
    actor,
    outbox,
    references: createReferenceAllocator(db, settings),
    search,
    callers,
    providers: referenceData,
  });
  log.info({ schemaVersion: schemaVersion(db) }, 'local cache opened');
  // Lists of cases shown to the handler are reads too: each reports its cases for the central audit log.
  const shownCases = createShownCasesReport(db, { outbox, clock: deps.clock, userId: () => session.user()?.id ?? null });
  const summaryIds = (summaries: readonly { id: string }[]) => summaries.map((summary) => summary.id);

  const realTransport = createHttpSyncTransport({
    baseUrl: deps.centralApiUrl,
    fetch: deps.fetch,
    getAccessToken: () => session.accessToken(),
    onUnauthorised: () => session.invalidateAccessToken(),
  });
  const transport = deps.syncTransport ? deps.syncTransport(realTransport) : realTransport;
  const authorisedRequest = createAuthorisedRequest({
    baseUrl: deps.centralApiUrl,
    fetch: deps.fetch,
    getAccessToken: () => session.accessToken(),
    onUnauthorised: () => session.invalidateAccessToken(),
  });
  const telephony = createTelephonyService(authorisedRequest);
  const reports = createReportsService(authorisedRequest);
  const inboxRepository = createInboxRepository(db, { clock: deps.clock, settings, userId: () => actor().id });
  // A claim or a reply is on the central API already: pull soon, so the rest of the change (the case's new version,
  // the message's place in the timeline) arrives without waiting for the next interval.
  const inboxService = createInboxService(db, { request: authorisedRequest, cases, newId, afterRemoteWrite: () => sync?.nudge() });
  const moderation = createModerationService({
    baseUrl: deps.centralApiUrl,
    fetch: deps.fetch,
    getAccessToken: () => session.accessToken(),
    onUnauthorised: () => session.invalidateAccessToken(),
    providerName: (providerId) => referenceData.provider(providerId)?.name ?? null,
  });
  // The sync client id is the desk's handler's: a new one each time the desk passes to another handler (see
  // desk-handover.ts). The engine lives as long as the core, so every request takes the current one here.
  const handlerTransport: SyncTransport = {
    push: (request) => transport.push({ ...request, clientId: handover.clientId() }),
    pull: (request) => transport.pull({ ...request, clientId: handover.clientId() }),
  };
  const syncEngine = createSyncEngine({
    db,
    outbox,
    settings,
    search,
    clock: deps.clock,
    timers,
    logger: deps.logger,
    clientId: handover.clientId(),
    transport: handlerTransport,
    // A colleague's edit, a conflict or a patient's new message reached a case: an open screen of it can show it.
    onCasesChanged: (caseIds) => events.emit('cases.changed', { caseIds }),
    ...deps.syncOptions,
  });
  sync = syncEngine;
  syncEngine.onChange((state) => {
    // Sync is the first to notice an outage or a recovery: have the connection indicator look again now.
    const reachable = health.current().state === 'online';
    if (started && ((state.status === 'offline' && reachable) || (state.status === 'online' && !reachable))) void health.check();
    publishSyncState();
  });

  const central = createCentralApiClient({ baseUrl: deps.centralApiUrl, fetch: deps.fetch, clock: deps.clock });
  const health = createHealthMonitor({
    client: central,
    clock: deps.clock,
    timers,
    ...(deps.healthIntervalMs === undefined ? {} : { intervalMs: deps.healthIntervalMs }),
    onChange: (next) => {
      log.info({ state: next.state }, 'central API connection changed');
      events.emit('central.healthChanged', next);
      // Back online: catch up now rather than at the end of the backoff.
      if (next.state === 'online' && session.state().status === 'signed-in') void syncEngine.syncNow();
      publishSyncState();
    },
  });

  // The live link starts with the session and stops with it; each event is validated, kept in the picture (which a
  // snapshot replaces whole) and forwarded to the renderer.
  const livePicture = createLivePicture();
  const live =
    deps.liveEvents === false
      ? null
      : createLiveConnection({
          baseUrl: deps.centralApiUrl,
          getAccessToken: () => session.accessToken(),
          invalidateAccessToken: () => session.invalidateAccessToken(),
          clock: deps.clock,
          timers,
          logger: deps.logger,
          ...deps.liveOptions,
          onEvent: (event) => {
            // A poke (new changes for this desk's teams) or a fresh snapshot (pokes may have been missed while the
            // link was down): sync now rather than at the next interval.
            if (event.type === 'changes' || event.type === 'snapshot') syncEngine.nudge();
            if (event.type === 'changes') return;
            livePicture.apply(event);
            recordFinishedCall(event);
            events.emit('live.event', event);
          },
          onStateChange: (state) => events.emit('live.connectionChanged', state),
        });

  /**
   * When this handler's call ends its wrap-up, its times and outcome go on the case it was linked to, in the local
   * cache and by sync to the central API, like any other change to the case: nothing is lost if the desk is offline
   * a moment later. A case this desk does not hold (linked elsewhere) is left to that desk.
   */
  function recordFinishedCall(event: LiveEvent): void {
    if (event.type !== 'call') return;
    const call = event.call;
    const me = session.user()?.id;
    if (call.state !== 'completed' || !call.caseId || !call.dispositionId || !me || call.handlerId !== me) return;
    try {
      cases.recordCall(call.caseId, callRecordOf(call));
    } catch (error) {
      log.warn({ callId: call.id, reason: error instanceof Error ? error.name : 'unknown' }, 'could not record the call on its case');
    }
  }

  /** What the handler sees of sync: the engine's state, or signed out. */
  function syncState(): SyncState {
    const state = syncEngine.state();
    return session.state().status === 'signed-in' ? state : { ...state, status: 'signed-out', progress: null };
  }

  /**
   * Signs in. The desk is shared (hot desking): the same handler again keeps everything; another handler takes the
   * desk only once everything the last one did has reached the central API, and the desk then swaps the last
   * handler's team data for the new one's (desk-handover.ts). Sync stops while that is decided, so no cycle of the
   * last handler's runs across it; a refused sign-in changes nothing and leaves a signed-in handler syncing.
   */
  async function signIn(email: string, password: string): Promise<SessionState> {
    return session.signIn(email, password, async (user) => {
      if (!handover.isHandover(user)) {
        handover.admit(user);
        return;
      }
      await syncEngine.stop();
      try {
        handover.admit(user);
      } catch (error) {
        if (deps.autoSync !== false && session.state().status === 'signed-in') syncEngine.start();
        throw error;
      }
    });
  }
  /**
   * Signs out. What waits in the outbox is sent to the central API first, for up to SIGN_OUT_SYNC_MS, so the next
   * handler can take the desk (a list or a case the handler saw moments ago is a report still waiting); signing out
   * never waits longer than that, and works offline.
   */
  async function signOut(): Promise<SessionState> {
    const { pending, reports } = outbox.waiting();
    if (session.state().status === 'signed-in' && pending + reports > 0) {
      let timer: unknown = null;
      await Promise.race([
        syncEngine.syncNow().catch(() => undefined),
        new Promise<void>((resolve) => {
          timer = timers.setTimeout(resolve, SIGN_OUT_SYNC_MS);
        }),
      ]);
      timers.clearTimeout(timer);
    }
    return session.signOut();
  }
  function publishSyncState(): void {
    events.emit('sync.stateChanged', syncState());
  }

  // A handler is offline until they choose otherwise: opening the app must never start offering calls.
  let agentState: AgentState = { state: 'offline', reason: null, since: new Date(deps.clock.now()).toISOString() };

  return {
    events,
    installId,
    db,
    /** The cases; a page of the case list is reported for the audit log (see shown-cases.ts). */
    cases: { ...cases, list: (filters: CaseListFilters) => shownCases.read('case-list', () => cases.list(filters), (page) => summaryIds(page.items)) },
    /** Callers; the screen pop's open and recent cases are reported for the audit log. */
    callers: {
      ...callers,
      lookup: (phone: string) => shownCases.read('caller-card', () => callers.lookup(phone), (found) => summaryIds([...found.openCases, ...found.recentCases])),
    },
    /** Search; its results are reported for the audit log. */
    search: { ...search, search: (text: string, limit: number) => shownCases.read('search', () => search.search(text, limit), (found) => summaryIds(found.items)) },
    outbox,
    referenceData,
    /** Where files the handler saves go: the shell's save dialog, when it has one. */
    fileSaver: deps.fileSaver,
    /** Call control through the central API's routing engine. */
    telephony,
    /** The supervisor's report figures and CSV, from the central API. */
    reports,
    /** The shared inbox: the list from the local cache; claim and reply through the central API; resolve locally. */
    inbox: {
      ...inboxRepository,
      ...inboxService,
      list: (filters: InboxFilters) => shownCases.read('inbox', () => inboxRepository.list(filters), (page) => summaryIds(page.items)),
    },
    /** Moderation of publishable feedback and sending cases to providers, through the central API. */
    moderation,
    actor,
    session,
    signIn,
    signOut,
    sync: syncEngine,
    syncState,
    /** The live link: its state (also sent as `live.connectionChanged`) and what it has told the desk so far. */
    live: {
      state: (): LiveConnectionState => live?.state() ?? { state: 'offline', reason: 'Live events are off on this desk.', nextRetryAt: null, since: new Date(0).toISOString() },
      picture: () => livePicture.current(),
    },
    async syncNow(): Promise<SyncState> {
      if (session.state().status === 'signed-in') await syncEngine.syncNow();
      return syncState();
    },
    getAppInfo(): AppInfo {
      return {
        name: deps.appName,
        version: deps.appVersion,
        databasePath,
        schemaVersion: schemaVersion(db),
        shell: deps.shell,
        platform: deps.platform,
        centralApiUrl: deps.centralApiUrl,
        centralApiEmbedded: deps.centralApiEmbedded,
      };
    },
    getCentralHealth: (): CentralHealth => health.current(),
    checkCentralHealth: (): Promise<CentralHealth> => health.check(),
    getAgentState: (): AgentState => agentState,
    setAgentState(input: SetAgentStateInput): AgentState {
      const reason = input.state === 'break' ? input.reason : null;
      if (input.state === agentState.state && reason === agentState.reason) return agentState;
      agentState = { state: input.state, reason, since: new Date(deps.clock.now()).toISOString() };
      log.info({ agentState: agentState.state }, 'agent state changed');
      events.emit('agent.stateChanged', agentState);
      return agentState;
    },
    start(): void {
      started = true;
      health.start();
      if (session.state().status === 'signed-in') live?.start();
      if (deps.autoSync !== false && session.state().status === 'signed-in') syncEngine.start();
    },
    close(): void {
      live?.stop('The desk is closing.');
      void syncEngine.stop();
      health.stop();
      maintenance.stop();
      db.close();
    },
  };
}

export type DesktopCore = ReturnType<typeof createDesktopCore>;
