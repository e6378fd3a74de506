import { spawn } from 'node:child_process';
import { connect, createServer, type Socket } from 'node:net';
import { createInterface } from 'node:readline';

/** The flag that runs the bench bundle as a latency proxy (see `latencyProxyChild`). */
export const LATENCY_PROXY_FLAG = '--latency-proxy';

/** Passes `from`'s bytes to `to` `delayMs` later, in order (timers of one delay fire in the order they were set). */
function delayed(from: Socket, to: Socket, delayMs: number): void {
  from.on('data', (chunk) => setTimeout(() => to.write(chunk), delayMs));
  from.on('end', () => setTimeout(() => to.end(), delayMs));
  from.on('error', () => to.destroy());
}

/**
 * The child's side: a TCP proxy on loopback in front of `targetPort` that delays every chunk `delayMs` each way (a
 * round trip of twice that), as a wide-area link would, with no limit on bandwidth. It runs in a process of its
 * own, so its timers keep time while the benchmark's process is busy: a desk applying a page holds its own thread,
 * not the network's. Prints `{"port":N}` when it listens; exits when its standard input closes.
 */
export function latencyProxyChild(targetPort: number, delayMs: number): Promise<void> {
  const server = createServer((client) => {
    client.setNoDelay(true);
    const upstream = connect(targetPort, '127.0.0.1');
    upstream.setNoDelay(true);
    delayed(client, upstream, delayMs);
    delayed(upstream, client, delayMs);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
    });
    process.stdin.resume();
    process.stdin.on('end', () => {
      server.close();
      resolve();
      process.exit(0);
    });
  });
}

/** Starts a latency proxy to `targetPort` in a child process; `base` is its URL, `close` ends it. */
export async function startLatencyProxy(targetPort: number, delayMs: number): Promise<{ base: string; close(): void }> {
  const child = spawn(process.execPath, [process.argv[1]!, LATENCY_PROXY_FLAG, String(targetPort), String(delayMs)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the latency proxy exited (${code}) before it listened`)));
  });
  const { port } = JSON.parse(line) as { port: number };
  return {
    base: `http://127.0.0.1:${port}`,
    close: () => child.stdin!.end(),
  };
}
