import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from './fault-proxy';

describe('the fault proxy', () => {
  let proxy: FaultProxy | undefined;
  let committed = 0;
  const api = createServer((req, res) => {
    if (req.url?.startsWith('/refused')) {
      res.statusCode = 409;
      res.end('{}');
      return;
    }
    committed += 1;
    res.end(JSON.stringify({ committed }));
  });

  afterEach(async () => {
    await proxy?.close();
    await new Promise<void>((resolve) => (api.listening ? api.close(() => resolve()) : resolve()));
  });

  async function start(settings: Parameters<typeof startFaultProxy>[1]['settings']) {
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    const port = (api.address() as { port: number }).port;
    proxy = await startFaultProxy(`http://127.0.0.1:${port}`, { seed: 42, settings });
    return proxy;
  }

  it('passes requests through when it is well behaved', async () => {
    const p = await start({});
    expect(await (await fetch(p.url)).json()).toEqual({ committed: 1 });
  });

  it('loses the response after the server committed: the client sees a failure, the server counted it', async () => {
    committed = 0;
    const p = await start({ loseResponseRate: 1 });
    await expect(fetch(p.url)).rejects.toThrow();
    expect(committed).toBe(1);
    expect(p.counts.responsesLost).toBe(1);
  });

  it('refuses everything while down, and the server never sees it', async () => {
    committed = 0;
    const p = await start({ down: true });
    await expect(fetch(p.url)).rejects.toThrow();
    expect(committed).toBe(0);
    p.settings.down = false;
    expect((await fetch(p.url)).status).toBe(200);
  });

  it('never loses the responses of the paths it is told to keep, and counts what it did per path', async () => {
    committed = 0;
    const p = await start({ loseResponseRate: 1, keepsResponsesOf: (path) => path.startsWith('/auth/') });
    expect((await fetch(`${p.url}/auth/sign-in?x=1`)).status).toBe(200);
    await expect(fetch(`${p.url}/sync/push`)).rejects.toThrow();
    expect(committed).toBe(2);
    expect(Object.fromEntries(p.countsByPath)).toEqual({
      '/auth/sign-in': { forwarded: 1, droppedBefore: 0, responsesLost: 0, refused: 0, committed: 1, lostAfterCommit: 0 },
      '/sync/push': { forwarded: 1, droppedBefore: 0, responsesLost: 1, refused: 0, committed: 1, lostAfterCommit: 1 },
    });
  });

  it('loses its share of successful answers on each path as a quota, never fewer, and counts a lost error answer apart', async () => {
    committed = 0;
    const p = await start({ loseResponseRate: 0.25 });
    const outcomes: Record<string, boolean[]> = { '/sync/push': [], '/sync/pull': [] };
    for (let i = 0; i < 9; i++) {
      for (const path of Object.keys(outcomes)) {
        const answered = await fetch(`${p.url}${path}`).then(() => true, () => false);
        outcomes[path]!.push(answered);
        const counts = p.countsByPath.get(path)!;
        expect(counts.lostAfterCommit / counts.committed).toBeGreaterThanOrEqual(0.25);
      }
    }
    const lostAt = (answers: boolean[]) => answers.flatMap((answered, i) => (answered ? [] : [i + 1]));
    expect(lostAt(outcomes['/sync/push']!)).toEqual([1, 5, 9]);
    expect(lostAt(outcomes['/sync/pull']!)).toEqual([1, 5, 9]);
    expect(committed).toBe(18);

    // An error answer committed nothing: losing it is not a loss after a commit.
    p.settings.loseResponseRate = 1;
    await expect(fetch(`${p.url}/refused`)).rejects.toThrow();
    expect(p.countsByPath.get('/refused')).toEqual({ forwarded: 1, droppedBefore: 0, responsesLost: 1, refused: 0, committed: 0, lostAfterCommit: 0 });
  });
});
