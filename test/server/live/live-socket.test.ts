import { randomBytes } from 'node:crypto';
import { connect as netConnect } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCESS_RECHECK_MS } from '../../../src-server/auth/access-state';
import { ACCESS_TOKEN_SECONDS } from '../../../src-server/auth/tokens';
import { createInProcessBus } from '../../../src-server/live/in-process-bus';
import type { SnapshotFor } from '../../../src-server/live/live-socket';
import type { Actor, CentralStore } from '../../../src-server/store/central-store';
import { openSqliteStore } from '../../../src-server/store/open-store';
import { LIVE_PROTOCOL, liveCloseCodes, liveProtocols } from '../../../src-shared/telephony/live-protocol';
import { capturingLogger, manualClock, tempDir } from '../../helpers';
import {
  bigCallEvent,
  connectAs,
  connectLive,
  message,
  offer,
  queueEvent,
  queueFigures,
  seedPeople,
  startLiveApi,
  tokenFor,
  until,
  type LiveApi,
  type People,
} from './live-fixtures';

describe('the /live WebSocket', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: CentralStore;
  let people: People;
  let bus: ReturnType<typeof createInProcessBus>;
  let api: LiveApi;
  let log: ReturnType<typeof capturingLogger>;
  const clock = manualClock(Date.now());
  const snapshotsFor: Actor[] = [];
  const snapshotFor: SnapshotFor = async (actor) => {
    snapshotsFor.push(actor);
    return { type: 'snapshot', handlers: [], calls: [], queues: [queueFigures('feedback', 3)], at: new Date(clock.now()).toISOString() };
  };

  async function start(options: { heartbeatMs?: number; maxBufferedBytes?: number; snapshotFor?: SnapshotFor | null } = {}) {
    bus = createInProcessBus();
    log = capturingLogger('api');
    api = await startLiveApi({
      store,
      clock,
      logger: log,
      live: {
        bus,
        ...(options.snapshotFor === null ? {} : { snapshotFor: options.snapshotFor ?? snapshotFor }),
        ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}),
        ...(options.maxBufferedBytes ? { maxBufferedBytes: options.maxBufferedBytes } : {}),
      },
    });
  }

  beforeEach(async () => {
    dir = tempDir();
    store = await openSqliteStore(join(dir.path, 'central.sqlite3'), clock);
    people = await seedPeople(store);
    snapshotsFor.length = 0;
  });

  afterEach(async () => {
    await api?.close();
    await store.close();
    dir.remove();
  });

  it('sends the snapshot for the signed-in person first, then events, and answers with the plain protocol name', async () => {
    await start();
    const client = await connectAs(api, people.handler);
    expect(client.ws.protocol).toBe(LIVE_PROTOCOL);
    const first = await client.next();
    expect(first.type).toBe('snapshot');
    expect(first.type === 'snapshot' && first.queues[0]?.waiting).toBe(3);
    expect(snapshotsFor).toEqual([{ userId: people.handler.id, name: 'handler', role: 'handler', teamIds: [people.teams.a] }]);
    bus.publish(message(queueEvent('feedback', 4)));
    expect(await client.next()).toMatchObject({ type: 'queue', figures: { waiting: 4 } });
    client.ws.close();
  });

  it('sends an empty snapshot when the API has nothing to say yet', async () => {
    await start({ snapshotFor: null });
    const client = await connectAs(api, people.handler);
    expect(await client.next()).toMatchObject({ type: 'snapshot', handlers: [], calls: [], queues: [] });
    client.ws.close();
  });

  it('gives each person only what their audience admits: own offers, own teams, supervisor-only events', async () => {
    await start();
    const handler = await connectAs(api, people.handler);
    const other = await connectAs(api, people.otherHandler);
    const supervisor = await connectAs(api, people.supervisor);
    for (const client of [handler, other, supervisor]) await client.next((event) => event.type === 'snapshot');

    bus.publish(message(offer(people.handler.id, 'call-for-a'), { userId: people.handler.id, teamIds: [people.teams.a] }));
    bus.publish(message(offer(people.otherHandler.id, 'call-for-b'), { userId: people.otherHandler.id, teamIds: [people.teams.b] }));
    bus.publish(message(queueEvent('team-a-only'), { teamIds: [people.teams.a] }));
    bus.publish(message(queueEvent('supervisors-only'), { minRole: 'supervisor' }));
    bus.publish(message(queueEvent('team-b-supervisors'), { minRole: 'supervisor', teamIds: [people.teams.b] }));
    // One event for everyone last: once it arrives, everything published before it has been delivered or withheld.
    bus.publish(message(queueEvent('everyone')));
    for (const client of [handler, other, supervisor]) await client.next((event) => event.type === 'queue' && event.figures.queueId === 'everyone');

    const seen = (client: typeof handler) =>
      client.events.slice(1).map((event) => (event.type === 'offer' ? `offer:${event.offer.call.id}` : event.type === 'queue' ? event.figures.queueId : event.type));
    expect(seen(handler)).toEqual(['offer:call-for-a', 'team-a-only', 'everyone']);
    expect(seen(other)).toEqual(['offer:call-for-b', 'everyone']);
    expect(seen(supervisor)).toEqual(['team-a-only', 'supervisors-only', 'everyone']);
    for (const client of [handler, other, supervisor]) client.ws.close();
  });

  it('refuses a missing, forged, expired or URL-borne token at the upgrade with 401 and opens no socket', async () => {
    await start();
    const token = tokenFor(api, people.handler);
    const forged = `${token.split('.')[0]}.${randomBytes(32).toString('base64url')}`;
    await expect(connectLive(api.base, null)).rejects.toThrow('HTTP 401');
    await expect(connectLive(api.base, [LIVE_PROTOCOL])).rejects.toThrow('HTTP 401');
    await expect(connectLive(api.base, liveProtocols(forged))).rejects.toThrow('HTTP 401');
    await expect(connectLive(api.base, [`bearer.${token}`])).rejects.toThrow('HTTP 401');
    await expect(connectLive(api.base, [LIVE_PROTOCOL], {}, `?access_token=${token}`)).rejects.toThrow('HTTP 401');
    clock.advance(ACCESS_TOKEN_SECONDS * 1000);
    await expect(connectLive(api.base, liveProtocols(token))).rejects.toThrow('HTTP 401');
    expect(api.app.live?.connectionCount()).toBe(0);
    expect(snapshotsFor).toEqual([]);
    expect(log.text()).not.toContain(token);
  });

  it('cuts a socket that stops answering pings, and keeps one that answers', async () => {
    // Long enough that a healthy client's pong is never late on a loaded machine, short enough to see five pings.
    await start({ heartbeatMs: 150 });
    const deaf = await connectAs(api, people.handler, { autoPong: false });
    const healthy = await connectAs(api, people.supervisor);
    let pings = 0;
    healthy.ws.on('ping', () => (pings += 1));
    const { code } = await deaf.closed;
    expect(code).toBe(1006); // terminated without a close frame
    await until(() => pings >= 5, 'five pings');
    expect(healthy.ws.readyState).toBe(healthy.ws.OPEN);
    expect(api.app.live?.connectionCount()).toBe(1);
    healthy.ws.close();
  });

  it('closes a socket when its access token expires, with the code that tells the desktop to renew it', async () => {
    await start({ heartbeatMs: 20 });
    const client = await connectAs(api, people.handler);
    await client.next();
    clock.advance(ACCESS_TOKEN_SECONDS * 1000);
    expect(await client.closed).toEqual({ code: liveCloseCodes.tokenExpired, reason: 'token expired' });
  });

  it('follows an administrator’s change on an open socket: a moved handler sees only the new team, a disabled one is cut and refused', async () => {
    await start({ heartbeatMs: 20 });
    const token = tokenFor(api, people.handler);
    const client = await connectAs(api, people.handler);
    await client.next((event) => event.type === 'snapshot');

    // Moved to team B (by another instance, say): after the recheck, a fresh snapshot for team B, then B's events only.
    await store.updateUser(people.handler.id, { teamIds: [people.teams.b] });
    clock.advance(ACCESS_RECHECK_MS);
    await client.next((event) => event.type === 'snapshot');
    expect(snapshotsFor.at(-1)).toMatchObject({ userId: people.handler.id, teamIds: [people.teams.b] });
    bus.publish(message(queueEvent('team-a-only'), { teamIds: [people.teams.a] }));
    bus.publish(message(queueEvent('team-b-only'), { teamIds: [people.teams.b] }));
    await client.next((event) => event.type === 'queue' && event.figures.queueId === 'team-b-only');
    expect(client.events.filter((event) => event.type === 'queue').map((event) => (event.type === 'queue' ? event.figures.queueId : ''))).toEqual(['team-b-only']);

    await store.updateUser(people.handler.id, { disabled: true });
    clock.advance(ACCESS_RECHECK_MS);
    expect(await client.closed).toEqual({ code: liveCloseCodes.tokenExpired, reason: 'access revoked' });
    // The same unexpired token opens nothing any more.
    await expect(connectLive(api.base, liveProtocols(token))).rejects.toThrow('HTTP 401');
  });

  it('drops a client that reads too slowly instead of buffering without limit, and keeps serving the others', async () => {
    await start({ maxBufferedBytes: 256 * 1024 });
    const fast = await connectAs(api, people.supervisor);
    await fast.next();
    // A raw client that completes the handshake and then never reads.
    const slow = netConnect(api.port, '127.0.0.1');
    const token = tokenFor(api, people.handler);
    slow.write(
      `GET /live HTTP/1.1\r\nHost: 127.0.0.1:${api.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n` +
        `Sec-WebSocket-Protocol: ${liveProtocols(token).join(', ')}\r\n\r\n`,
    );
    const response = await new Promise<string>((resolve) => slow.once('data', (data) => resolve(data.toString())));
    expect(response).toMatch(/^HTTP\/1\.1 101/);
    slow.pause();
    const slowClosed = new Promise((resolve) => slow.once('close', resolve));
    await until(() => api.app.live?.connectionCount() === 2, 'two sockets');

    const big = bigCallEvent(16 * 1024);
    let published = 0;
    while (api.app.live?.connectionCount() === 2 && published < 4_000) {
      for (let i = 0; i < 20; i++, published++) bus.publish(message(big));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(api.app.live?.connectionCount()).toBe(1);
    expect(log.text()).toContain('reads too slowly');
    slow.resume();
    await slowClosed;
    bus.publish(message(queueEvent('after')));
    expect(await fast.next((event) => event.type === 'queue')).toMatchObject({ figures: { queueId: 'after' } });
    expect(fast.events.filter((event) => event.type === 'call')).toHaveLength(published);
    fast.ws.close();
  });

  it('says goodbye to every socket and closes the bus when the API closes', async () => {
    await start();
    const client = await connectAs(api, people.handler);
    await client.next();
    expect(bus.listenerCount()).toBe(1);
    await api.close();
    expect((await client.closed).code).toBe(liveCloseCodes.goingAway);
    expect(bus.listenerCount()).toBe(0);
  });
});
