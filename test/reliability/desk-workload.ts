import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { DesktopCore } from '../../src-main/core/desktop-core';
import type { Outbox } from '../../src-main/core/sync/outbox';
import type { SyncTransport } from '../../src-main/core/sync/sync-transport';
import type { CredentialVault } from '../../src-main/core/session/credential-vault';
import { caseTypes, channels } from '../../src-shared/domain/case-types';

/** One write a desk has committed (the repository call returned): a case it opened or a note it added. */
export type Commit = { op: 'case'; id: string } | { op: 'note'; id: string; caseId: string };

/** The share of writes that open a case; the rest are notes, on any case in the desk's cache. */
const CASE_SHARE = 0.3;
/** How often a desk looks again at which cases it holds (pulled ones included), in writes. */
const POOL_REFRESH_EVERY = 25;

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** How a desk spreads its writes: bursts of `pauseEvery` writes on average, then a pause of `pauseMs` on average. */
export interface Pacing {
  pauseEvery: number;
  pauseMs: number;
}

/**
 * Writes `count` cases and notes as a handler would, calling `onCommit` after each one has committed. Notes land on
 * cases of the whole team (pulled cases too), so two desks write on one case. Writes come in bursts with pauses
 * between, and each write lets the event loop turn, so the sync engine runs alongside, as it does in the app.
 */
export async function writeCasesAndNotes(
  core: DesktopCore,
  options: { random: () => number; count: number; pacing: Pacing; tag: string; onCommit?: (commit: Commit) => void },
): Promise<number> {
  const { random, pacing } = options;
  let pool: string[] = [];
  let written = 0;
  for (let step = 0; step < options.count; step++) {
    if (step % POOL_REFRESH_EVERY === 0) pool = core.cases.list({ limit: 40 }).items.map((item) => item.id);
    if (pool.length === 0 || random() < CASE_SHARE) {
      const created = core.cases.create({ type: pick(random, caseTypes), channel: pick(random, channels) });
      pool.push(created.id);
      options.onCommit?.({ op: 'case', id: created.id });
    } else {
      const caseId = pick(random, pool);
      const note = core.cases.appendNote(caseId, `Rang back about the letter (${options.tag} ${step}).`);
      options.onCommit?.({ op: 'note', id: note.id, caseId });
    }
    written += 1;
    await (random() < 1 / pacing.pauseEvery ? sleep(random() * 2 * pacing.pauseMs) : nextTurn());
  }
  return written;
}

/**
 * A vault in a file, written atomically (temp file, fsync, rename), standing in for Electron's safeStorage vault:
 * the session survives a restart, as it does in the app.
 */
export function fileVault(path: string): CredentialVault {
  return {
    persistent: true,
    load() {
      try {
        return readFileSync(path, 'utf8') || null;
      } catch {
        return null;
      }
    },
    save(secret) {
      const temp = `${path}.tmp`;
      writeFileSync(temp, secret ?? '');
      const fd = openSync(temp, 'r');
      fsyncSync(fd);
      closeSync(fd);
      renameSync(temp, path);
    },
  };
}

/** Signs in, retrying while the central API cannot be reached (a dropped connection, a lost answer, an outage). */
export async function signInWithRetry(core: DesktopCore, email: string, password: string, options: { timeoutMs?: number } = {}): Promise<number> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (let attempt = 1; ; attempt++) {
    try {
      await core.signIn(email, password);
      return attempt;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code !== 'unavailable' || Date.now() > deadline) throw error;
      await sleep(100 + Math.min(attempt, 10) * 50);
    }
  }
}

/**
 * A sync transport that drops outbox entries before the server has them: on each push it deletes the batch from
 * the outbox first and only then sends it. Deliberately wrong (DESIGN.md: an entry is dropped only once the server
 * has acknowledged it), for the control run that proves the set check can fail.
 */
export function acknowledgeBeforeSending(real: SyncTransport, outbox: () => Outbox): SyncTransport {
  return {
    push(request) {
      outbox().acknowledge(request.mutations.at(-1)!.id);
      return real.push(request);
    },
    pull: (request) => real.pull(request),
  };
}
