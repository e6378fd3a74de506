import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Role } from '../../src-shared/api/people';
import { startBenchApi, type BenchApi, type BenchUser, type StoreKind } from './sync-world';

/** The flag that runs the bench bundle as the central API in a process of its own (see `benchApiChild`). */
export const BENCH_API_FLAG = '--bench-api';

type Request = { op: 'team'; name: string } | { op: 'user'; teamId: string; role?: Role };
type Command = Request & { id: number };

/**
 * The child's side: the real central API (`startBenchApi`) on loopback. Prints `{"port":N}` when it listens, then
 * answers one JSON line per command on its standard input (`team`, `user`) with `{"id","result"}` or
 * `{"id","error"}`; closes the API and exits when its standard input closes.
 */
export async function benchApiChild(kind: StoreKind): Promise<void> {
  const api = await startBenchApi(kind);
  const answer = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
  answer({ port: api.port });
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const command = JSON.parse(line) as Command;
    const work = command.op === 'team' ? api.team(command.name) : api.user(command.teamId, command.role);
    work.then(
      (result) => answer({ id: command.id, result }),
      (error: unknown) => answer({ id: command.id, error: String(error) }),
    );
  });
  await new Promise<void>((resolve) => lines.once('close', resolve));
  await api.close();
  process.exit(0);
}

/** The central API in its own process, as far as a benchmark's desks and clients need it. */
export type ApiProcess = Pick<BenchApi, 'kind' | 'base' | 'port' | 'team' | 'user' | 'close'>;

/**
 * Starts the central API in a child process (this bench bundle with BENCH_API_FLAG). In the field the API runs on
 * another machine: in a process of its own its work (reading a page, writing its JSON) runs beside the desk's
 * rather than on the desk's thread, on this machine's other core.
 */
export async function startApiProcess(kind: StoreKind): Promise<ApiProcess> {
  const child = spawn(process.execPath, [process.argv[1]!, BENCH_API_FLAG, kind], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<never>((_resolve, reject) => child.once('exit', (code) => reject(new Error(`the bench API process exited (${code})`))));
  exited.catch(() => undefined);
  const lines = createInterface({ input: child.stdout! });
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let first: ((line: string) => void) | null = null;
  lines.on('line', (line) => {
    if (first) {
      first(line);
      first = null;
      return;
    }
    const { id, result, error } = JSON.parse(line) as { id: number; result?: unknown; error?: string };
    const pending = waiting.get(id);
    waiting.delete(id);
    if (error !== undefined) pending?.reject(new Error(`bench API: ${error}`));
    else pending?.resolve(result);
  });
  const { port } = JSON.parse(await Promise.race([new Promise<string>((resolve) => (first = resolve)), exited])) as { port: number };
  let next = 0;
  function ask<T>(command: Request): Promise<T> {
    const id = (next += 1);
    const answered = new Promise<T>((resolve, reject) => waiting.set(id, { resolve: resolve as (value: unknown) => void, reject }));
    child.stdin!.write(`${JSON.stringify({ ...command, id })}\n`);
    return Promise.race([answered, exited]);
  }
  return {
    kind,
    base: `http://127.0.0.1:${port}`,
    port,
    team: (name) => ask<string>({ op: 'team', name }),
    user: (teamId, role) => ask<BenchUser>({ op: 'user', teamId, ...(role ? { role } : {}) }),
    async close() {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin!.end();
      await gone;
    },
  };
}
