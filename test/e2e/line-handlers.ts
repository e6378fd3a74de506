import { expect } from 'vitest';

/** What a handler's REST session on the line can do: one request with their token, its status and parsed body. */
export type LineRequest = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: unknown }>;

/**
 * A demo handler on the line over the central API directly (the browser-mode desk is one desk, and it is the
 * supervisor's), made available.
 */
export async function handlerOnLine(apiUrl: string, email: string, password: string): Promise<LineRequest> {
  const response = await fetch(`${apiUrl}/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const { accessToken } = (await response.json()) as { accessToken: string };
  const send: LineRequest = async (method, path, body) => {
    const reply = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${accessToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await reply.text();
    return { status: reply.status, body: text ? (JSON.parse(text) as unknown) : null };
  };
  expect((await send('PUT', '/telephony/me/state', { state: 'available' })).status).toBe(200);
  return send;
}

/**
 * A handler who takes every call offered: answers, talks a couple of seconds, hangs up and wraps up with a resolving
 * disposition. `stop()` lets the call in hand finish (wrapped up) and then goes offline, so the line goes quiet.
 */
export function answerCalls(send: LineRequest): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    const talkingSince = new Map<string, number>();
    for (;;) {
      const snapshot = (await send('GET', '/telephony/snapshot')).body as { calls: { id: string; state: string; handlerId: string | null }[]; handlers: { handlerId: string }[] };
      const mine = snapshot.calls.filter((call) => ['offered', 'connected', 'held', 'wrap-up'].includes(call.state));
      if (!running && mine.every((call) => call.state === 'offered')) break;
      for (const call of mine) {
        if (call.state === 'offered' && running) await send('POST', `/telephony/calls/${call.id}/answer`);
        else if (call.state === 'connected') {
          const since = talkingSince.get(call.id) ?? Date.now();
          talkingSince.set(call.id, since);
          if (Date.now() - since > 2_500) await send('POST', `/telephony/calls/${call.id}/hang-up`);
        } else if (call.state === 'wrap-up') await send('POST', `/telephony/calls/${call.id}/wrap-up`, { dispositionId: 'information-given' });
      }
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
    await send('PUT', '/telephony/me/state', { state: 'offline' });
  })();
  return {
    async stop() {
      running = false;
      await loop;
    },
  };
}
