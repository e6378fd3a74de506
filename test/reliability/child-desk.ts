import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import type { ChildLine, DeskChildConfig } from './desk-child';

const REPO = resolve(import.meta.dirname, '../..');

/**
 * Bundles the child desk into one CommonJS file in `dir`: the core's imports have no file extensions, so Node
 * cannot run its TypeScript as it is (as in the durability test).
 */
export async function bundleDeskChild(dir: string): Promise<string> {
  const bundle = join(dir, 'desk-child.cjs');
  await build({
    entryPoints: [join(import.meta.dirname, 'desk-child.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    packages: 'external',
    logLevel: 'warning',
  });
  return bundle;
}

/** One run of the child desk: what it has said so far, and ways to talk to it, wait for it, and kill it. */
export interface ChildRun {
  lines: ChildLine[];
  stderr(): string;
  /** Resolves with the first line (from now on, or already said) that `match` accepts. */
  waitFor(match: (line: ChildLine) => boolean, timeoutMs: number): Promise<ChildLine>;
  send(command: 'sync' | 'state' | 'close'): void;
  kill(): void;
  /** Resolves when the process has gone, with how it went. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startDeskChild(bundle: string, config: DeskChildConfig): ChildRun {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [bundle, JSON.stringify(config)], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NODE_PATH: join(REPO, 'node_modules') },
  });
  const lines: ChildLine[] = [];
  const waiters = new Set<{ match: (line: ChildLine) => boolean; done: (line: ChildLine) => void }>();
  let partial = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    partial += chunk;
    const complete = partial.split('\n');
    // A kill mid-line leaves a fragment without its newline: it is never parsed.
    partial = complete.pop()!;
    for (const text of complete) {
      const line = JSON.parse(text) as ChildLine;
      lines.push(line);
      for (const waiter of [...waiters]) {
        if (waiter.match(line)) {
          waiters.delete(waiter);
          waiter.done(line);
        }
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // RELIABILITY_CHILD_LOG_DIR keeps each run's log (with RELIABILITY_CHILD_LOG=debug, say) for a post-mortem.
  const logDir = process.env.RELIABILITY_CHILD_LOG_DIR;
  if (logDir) child.stderr.pipe(createWriteStream(join(logDir, `${config.tag}.log`)));
  // A kill can land while the test is writing a command: the broken pipe is expected, not an error.
  child.stdin.on('error', () => undefined);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('close', (code, signal) => done({ code, signal })));
  let gone = false;
  void exited.then(() => (gone = true));

  return {
    lines,
    stderr: () => stderr,
    waitFor(match, timeoutMs) {
      const said = lines.find(match);
      if (said) return Promise.resolve(said);
      return new Promise((done, fail) => {
        const waiter = {
          match,
          done: (line: ChildLine) => {
            clearTimeout(timer);
            done(line);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          fail(new Error(`the child desk did not say what was awaited within ${timeoutMs} ms; last lines ${JSON.stringify(lines.slice(-3))}; stderr ${stderr}`));
        }, timeoutMs);
        waiters.add(waiter);
        void exited.then(() => {
          if (!waiters.has(waiter)) return;
          waiters.delete(waiter);
          clearTimeout(timer);
          fail(new Error(`the child desk exited before saying what was awaited; last lines ${JSON.stringify(lines.slice(-3))}; stderr ${stderr}`));
        });
      });
    },
    send(command) {
      if (!gone) child.stdin.write(`${command}\n`);
    },
    kill() {
      child.kill('SIGKILL');
    },
    exited,
  };
}
