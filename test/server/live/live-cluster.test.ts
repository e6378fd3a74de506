import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openPostgresBus, type PostgresBus } from '../../../src-server/live/postgres-bus';
import type { CentralStore } from '../../../src-server/store/central-store';
import { openPostgresStore } from '../../../src-server/store/open-store';
import { capturingLogger, manualClock } from '../../helpers';
import { createTestSchema, type TestSchema } from '../../postgres';
import { PASSWORD } from '../api-harness';
import { bigCallEvent, connectAs, connectLive, message, offer, queueEvent, seedPeople, startLiveApi, type LiveApi, type People } from './live-fixtures';
import { terminateConnections, uniqueChannel } from './postgres-fixtures';
import { liveProtocols } from '../../../src-shared/telephony/live-protocol';

/**
 * Two API instances behind one load balancer: each with its own store connections and its own PostgreSQL bus, on one
 * database, sharing the token secret. A desktop connected to one hears what the other raised.
 */
describe('live events across two API instances on one PostgreSQL', () => {
  const clock = manualClock(Date.now());
  const secret = randomBytes(32);
  let schema: TestSchema;
  const stores: CentralStore[] = [];
  const buses: PostgresBus[] = [];
  let apiA: LiveApi;
  let apiB: LiveApi;
  let people: People;

  async function instance(channel: string): Promise<LiveApi> {
    const store = await openPostgresStore(schema.url, clock, { poolSize: 2 });
    stores.push(store);
    const bus = await openPostgresBus({ connectionString: schema.url, channel, logger: capturingLogger('bus').logger });
    buses.push(bus);
    return startLiveApi({ store, clock, secret, live: { bus } });
  }

  beforeAll(async () => {
    schema = await createTestSchema('live_test');
    const channel = uniqueChannel();
    apiA = await instance(channel);
    apiB = await instance(channel);
    people = await seedPeople(stores[0]!);
  });

  afterAll(async () => {
    await apiA?.close();
    await apiB?.close();
    for (const store of stores) await store.close();
    await schema?.drop();
  });

  it('signs in on one instance and is accepted by the other (one store, one token secret)', async () => {
    const response = await fetch(`${apiA.base}/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: people.handler.email, password: PASSWORD }),
    });
    expect(response.status).toBe(200);
    const { accessToken } = (await response.json()) as { accessToken: string };
    const client = await connectLive(apiB.base, liveProtocols(accessToken));
    expect((await client.next()).type).toBe('snapshot');
    client.ws.close();
  });

  it('delivers an event raised on instance A to a desktop connected to instance B, and only to whom it is for', async () => {
    const handlerOnB = await connectAs(apiB, people.handler);
    const otherOnB = await connectAs(apiB, people.otherHandler);
    const supervisorOnA = await connectAs(apiA, people.supervisor);
    for (const client of [handlerOnB, otherOnB, supervisorOnA]) expect((await client.next()).type).toBe('snapshot');

    buses[0]!.publish(message(offer(people.handler.id, 'offer-raised-on-a'), { userId: people.handler.id, teamIds: [people.teams.a] }));
    buses[1]!.publish(message(queueEvent('supervisors-from-b'), { minRole: 'supervisor', teamIds: [people.teams.a] }));
    buses[0]!.publish(message(bigCallEvent(64 * 1024, 'big-from-a'), { teamIds: [people.teams.a] }));
    buses[0]!.publish(message(queueEvent('everyone-from-a')));

    const isLast = (event: { type: string; figures?: { queueId: string } }) => event.type === 'queue' && event.figures?.queueId === 'everyone-from-a';
    for (const client of [handlerOnB, otherOnB, supervisorOnA]) await client.next(isLast);
    // What instance B raised reaches A through PostgreSQL, after A's own events may have: wait for it too.
    await vi.waitFor(() => expect(supervisorOnA.events.some((event) => event.type === 'queue' && event.figures.queueId === 'supervisors-from-b')).toBe(true), { timeout: 5_000 });

    expect(handlerOnB.events.slice(1).map((event) => event.type)).toEqual(['offer', 'call', 'queue']);
    expect(handlerOnB.events[1]).toMatchObject({ type: 'offer', offer: { handlerId: people.handler.id, call: { id: 'offer-raised-on-a' } } });
    expect(handlerOnB.events[2]).toEqual(bigCallEvent(64 * 1024, 'big-from-a'));
    expect(otherOnB.events.slice(1).map((event) => event.type)).toEqual(['queue']);
    // The supervisor gets the supervisor-only figures from B and the team's call from A, but not the handler's offer.
    expect(supervisorOnA.events.slice(1).map((event) => (event.type === 'queue' ? event.figures.queueId : event.type)).sort()).toEqual(
      ['call', 'everyone-from-a', 'supervisors-from-b'].sort(),
    );
    for (const client of [handlerOnB, otherOnB, supervisorOnA]) client.ws.close();
  });

  it('sends desktops a fresh snapshot when their instance lost its PostgreSQL link (events may have been missed)', async () => {
    const client = await connectAs(apiB, people.handler);
    expect((await client.next()).type).toBe('snapshot');
    expect(await terminateConnections(buses[1]!.listenerApplicationName)).toBe(1);
    expect((await client.next()).type).toBe('snapshot');
    buses[0]!.publish(message(queueEvent('after-the-gap')));
    expect(await client.next()).toMatchObject({ type: 'queue', figures: { queueId: 'after-the-gap' } });
    client.ws.close();
  });
});
