// One desktop of the no-loss test, run as its own process (so that it can be killed with SIGKILL, and so the three
// desks write in parallel, as three machines would): the real desktop core on the data folder it is given, with the
// real sync engine on real timers and the real HTTP transport, pointed at the fault proxy. It keeps its session in a file (as Electron keeps it in safeStorage), signs in when it has
// none, and writes cases and notes until it has written its share, counting what it already wrote in earlier runs
// from its own cache. Lines on stdout say what it did; lines on stdin ask it to sync now, report, or close.
// Usage: node desk-child.cjs '<json config>'
import { writeSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { systemClock } from '../../src-main/core/clock';
import { createDesktopCore, type DesktopCore } from '../../src-main/core/desktop-core';
import type { SyncTransport } from '../../src-main/core/sync/sync-transport';
import { createLogger } from '../../src-main/core/logger';
import { seededRandom } from './fault-proxy';
import { acknowledgeBeforeSending, fileVault, signInWithRetry, writeCasesAndNotes, type Pacing } from './desk-workload';
import { readDeskCommitted } from './set-check';

export interface DeskChildConfig {
  dataDir: string;
  apiUrl: string;
  email: string;
  password: string;
  userId: string;
  /** This run's seed: the writes' choices and the sync engine's jitter. */
  seed: number;
  /** Cases and notes this desk writes over all its runs. */
  budget: number;
  pacing: Pacing;
  tag: string;
  /** Press "Sync now" this often (a desk that only reads: its engine pulls on its own only every 15 s). */
  syncEveryMs?: number;
  /** Changes per pull page (the app asks for up to 1000). */
  pullLimit?: number;
  /**
   * Scales the sync engine's backoff jitter (1 for the app's own waits). The test runs an outage-filled shift in
   * seconds, so it shortens the waits in proportion; the engine's logic is unchanged.
   */
  backoffScale: number;
  /** Mutations per push (the app sends up to 200): smaller batches put more requests through the faults. */
  batchSize: number;
  /** Run the deliberately broken transport that drops outbox entries before the server has them (the control). */
  acknowledgeBeforeSending?: boolean;
}

/** What the child says on stdout, one JSON object per line. */
export type ChildLine =
  | { op: 'ready' }
  | { op: 'signed-in'; attempts: number }
  | { op: 'case'; id: string }
  | { op: 'note'; id: string; caseId: string }
  | { op: 'done'; written: number }
  | { op: 'state'; pending: number; status: string; signIns: number }
  | { op: 'error'; message: string };

const config = JSON.parse(process.argv[2] ?? '') as DeskChildConfig;

// writeSync: a line is in the pipe before the next write starts; a kill mid-line leaves a fragment without newline.
const say = (line: ChildLine): void => {
  writeSync(1, `${JSON.stringify(line)}\n`);
};

const random = seededRandom(config.seed);
let opened: DesktopCore | null = null;
const core: DesktopCore = createDesktopCore({
  dataDir: config.dataDir,
  centralApiUrl: config.apiUrl,
  centralApiEmbedded: false,
  fetch: globalThis.fetch,
  clock: systemClock,
  // Silent unless asked (RELIABILITY_CHILD_LOG=debug); then on stderr, as stdout carries the lines for the test.
  logger: createLogger(`desk-${config.tag}`, { level: process.env.RELIABILITY_CHILD_LOG ?? 'silent', destination: process.stderr }),
  appName: 'Care Connect Desk',
  appVersion: '0.0.0-reliability',
  shell: 'browser',
  platform: process.platform,
  healthIntervalMs: 1000,
  vault: fileVault(join(config.dataDir, 'session.json')),
  syncOptions: { random: () => random() * config.backoffScale, batchSize: config.batchSize, ...(config.pullLimit ? { pullLimit: config.pullLimit } : {}) },
  ...(config.acknowledgeBeforeSending ? { syncTransport: (real: SyncTransport) => acknowledgeBeforeSending(real, () => opened!.outbox) } : {}),
});
opened = core;
say({ op: 'ready' });

let signIns = 0;
let signingIn: Promise<void> | null = null;
/** Signs in when the desk has no session: at the first start, and when the server ended it. */
function ensureSignedIn(): Promise<void> {
  if (core.session.state().status === 'signed-in') return Promise.resolve();
  signingIn ??= signInWithRetry(core, config.email, config.password, { timeoutMs: 60_000 })
    .then((attempts) => {
      signIns += 1;
      say({ op: 'signed-in', attempts });
    })
    .finally(() => {
      signingIn = null;
    });
  return signingIn;
}
core.events.subscribe((name, payload) => {
  if (name === 'session.changed' && (payload as { status: string }).status === 'signed-out') {
    void ensureSignedIn().catch((error: unknown) => say({ op: 'error', message: String(error) }));
  }
});

function report(): void {
  const state = core.syncState();
  say({ op: 'state', pending: core.outbox.count(), status: state.status, signIns });
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = line.trim();
  if (command === 'sync') void core.syncNow().then(report);
  else if (command === 'state') report();
  else if (command === 'close') {
    core.close();
    process.exit(0);
  }
});

async function main(): Promise<void> {
  await ensureSignedIn();
  core.start();
  const authors = [config.userId, core.actor().id, `desk-${core.installId.slice(0, 8)}`];
  const mine = readDeskCommitted(core.db, 'self', authors);
  const left = Math.max(0, config.budget - mine.cases.length - mine.notes.length);
  if (config.syncEveryMs) setInterval(() => void core.syncNow(), config.syncEveryMs);
  const written = await writeCasesAndNotes(core, { random, count: left, pacing: config.pacing, tag: config.tag, onCommit: say });
  say({ op: 'done', written });
}

// Keeps the process alive once the writes are done (the core's own timers do not hold it open).
setInterval(() => undefined, 60_000);
main().catch((error: unknown) => {
  say({ op: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
});
