import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserModeServer, type BrowserModeServer } from '../../../src-main/browser-mode/browser-mode-server';
import { createDispatcher } from '../../../src-main/contract/dispatcher';
import { createRequestHandlers } from '../../../src-main/core/handlers';
import { createWebSocketApi } from '../../../src-renderer/api';
import type { LiveConnectionState } from '../../../src-shared/contract/live';
import type { LiveEvent } from '../../../src-shared/telephony/model';
import { capturingLogger, tempDir } from '../../helpers';
import { PASSWORD } from '../../server/api-harness';
import { message, offer, until } from '../../server/live/live-fixtures';
import { startLiveDesk } from './live-harness';

const SECRET = 'live-test-secret-0123456789';

/**
 * The whole path of a live event in browser mode: raised on the API's bus, carried by `/live` to the desk's core,
 * and from the core over the browser-mode contract socket to the renderer's own `api` module.
 */
describe('live events in browser mode', () => {
  let desk: Awaited<ReturnType<typeof startLiveDesk>>;
  let rendererDir: ReturnType<typeof tempDir>;
  let server: BrowserModeServer;
  let stopped = false;

  beforeEach(async () => {
    desk = await startLiveDesk();
    rendererDir = tempDir();
    writeFileSync(join(rendererDir.path, 'index.html'), '<!doctype html><title>desk</title>');
    const logger = capturingLogger('browser-mode').logger;
    server = await startBrowserModeServer({
      rendererDir: rendererDir.path,
      dispatch: createDispatcher(createRequestHandlers(desk.core), logger),
      events: desk.core.events,
      logger,
      secret: SECRET,
    });
  });

  afterEach(async () => {
    stopped = true;
    await server.close();
    await desk.close();
    rendererDir.remove();
  });

  /** A WebSocket as the page has it, sent from the page's origin; inert once the test is over, so it stops retrying. */
  function pageWebSocket(origin: string) {
    return class extends WebSocket {
      constructor(url: string) {
        super(url, { origin });
        if (stopped) return {} as never;
      }
    } as unknown as typeof globalThis.WebSocket;
  }

  it('delivers the connection state, the snapshot and an offer to the renderer’s api', async () => {
    const api = createWebSocketApi(`ws://127.0.0.1:${server.port}/contract?secret=${SECRET}`, pageWebSocket(server.origin));
    const events: LiveEvent[] = [];
    const states: LiveConnectionState[] = [];
    api.on('live.event', (event) => events.push(event));
    api.on('live.connectionChanged', (state) => states.push(state));

    const signedIn = await api.request('session.signIn', { email: desk.people.handler.email, password: PASSWORD });
    expect(signedIn.ok).toBe(true);
    await until(() => events.some((event) => event.type === 'snapshot'), 'the snapshot in the renderer');
    expect(states.at(-1)).toMatchObject({ state: 'connected', reason: null });

    desk.bus().publish(message(offer(desk.people.handler.id, 'ringing-now'), { userId: desk.people.handler.id }));
    await until(() => events.some((event) => event.type === 'offer'), 'the offer in the renderer');
    expect(events.find((event) => event.type === 'offer')).toMatchObject({ offer: { handlerId: desk.people.handler.id, call: { id: 'ringing-now', from: '+447700900123' } } });

    await api.request('session.signOut', {});
    await until(() => states.at(-1)?.state === 'offline', 'offline in the renderer');
    expect(states.at(-1)).toMatchObject({ state: 'offline', reason: 'Signed out.', nextRetryAt: null });
  });
});
