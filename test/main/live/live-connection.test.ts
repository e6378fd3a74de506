import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCESS_TOKEN_SECONDS } from '../../../src-server/auth/tokens';
import type { LiveEvent } from '../../../src-shared/telephony/model';
import { PASSWORD } from '../../server/api-harness';
import { call, message, offer, queueEvent, queueFigures, until } from '../../server/live/live-fixtures';
import { startLiveDesk } from './live-harness';

const HEARTBEAT_TIMEOUT = 75_000;

describe('the desk’s live connection to the central API', () => {
  let desk: Awaited<ReturnType<typeof startLiveDesk>>;

  beforeEach(async () => {
    // Before the restart the floor has a call in progress; after it, that call has ended and the queue moved on.
    desk = await startLiveDesk({
      snapshot: (generation) =>
        generation === 1
          ? { handlers: [], calls: [call({ id: 'call-before', state: 'connected' })], queues: [queueFigures('feedback', 2)] }
          : { handlers: [], calls: [], queues: [queueFigures('feedback', 7)] },
    });
  });
  afterEach(() => desk.close());

  const liveEvents = () => desk.sent('live.event');
  const states = () => desk.sent('live.connectionChanged');
  const lastState = () => states().at(-1);
  const snapshots = () => liveEvents().filter((event) => event.type === 'snapshot');

  async function signIn() {
    await desk.core.signIn(desk.people.handler.email, PASSWORD);
    await until(() => snapshots().length === 1, 'the first snapshot');
  }

  it('does not connect before sign-in, connects after it and passes on the snapshot and the handler’s own events', async () => {
    expect(desk.core.live.state().state).toBe('offline');
    expect(desk.api()!.app.live?.connectionCount()).toBe(0);
    await signIn();
    expect(desk.core.live.state()).toMatchObject({ state: 'connected', reason: null, nextRetryAt: null });
    expect(states().map((state) => state.state)).toEqual(['connecting', 'connected']);
    expect(desk.core.live.picture()).toMatchObject({ calls: [{ id: 'call-before' }], queues: [{ queueId: 'feedback', waiting: 2 }] });

    desk.bus().publish(message(offer(desk.people.otherHandler.id, 'not-mine'), { userId: desk.people.otherHandler.id }));
    desk.bus().publish(message(offer(desk.people.handler.id, 'mine'), { userId: desk.people.handler.id }));
    await until(() => liveEvents().length === 2, 'the offer');
    expect(liveEvents()[1]).toMatchObject({ type: 'offer', offer: { call: { id: 'mine' }, handlerId: desk.people.handler.id } });
    expect(desk.core.live.picture().offers.map((o) => o.call.id)).toEqual(['mine']);
  });

  it('reconnects with growing, jittered backoff while the API is down, and a fresh snapshot replaces what it knew', async () => {
    await signIn();
    await desk.stopApi();
    await until(() => lastState()?.state === 'offline', 'offline');
    const now = desk.clock.now();
    // random() = 0.5: each delay is three quarters of the doubling ceiling (1 s, 2 s, 4 s...).
    expect(lastState()).toMatchObject({ state: 'offline', reason: 'The central service is restarting.', nextRetryAt: new Date(now + 750).toISOString() });
    expect(desk.scheduler.delays()).toEqual([750]);

    desk.scheduler.fire(750);
    await until(() => desk.scheduler.delays().includes(1_500), 'the second retry');
    expect(lastState()).toMatchObject({ state: 'offline', reason: 'Lost the connection to the central service.', nextRetryAt: new Date(now + 1_500).toISOString() });
    desk.scheduler.fire(1_500);
    await until(() => desk.scheduler.delays().includes(3_000), 'the third retry');
    desk.scheduler.fire(3_000);
    await until(() => desk.scheduler.delays().includes(6_000), 'the fourth retry');
    expect(states().filter((state) => state.state === 'connecting')).toHaveLength(4);

    await desk.restartApi();
    desk.scheduler.fire(6_000);
    await until(() => snapshots().length === 2, 'a fresh snapshot');
    expect(desk.core.live.state().state).toBe('connected');
    // The call that ended while the desk was away is gone; the queue shows the new figure.
    expect(desk.core.live.picture()).toMatchObject({ calls: [], queues: [{ queueId: 'feedback', waiting: 7 }] });

    // A good connection resets the backoff: the next outage starts again from the first delay.
    await desk.stopApi();
    await until(() => lastState()?.state === 'offline', 'offline again');
    expect(desk.scheduler.delays()).toEqual([750]);
  });

  it('renews a token the restarted API no longer accepts (401 at the upgrade) and reconnects', async () => {
    await signIn();
    await desk.stopApi();
    await until(() => lastState()?.state === 'offline', 'offline');
    await desk.restartApi({ newSecret: true });
    desk.scheduler.fire(750);
    await until(() => desk.scheduler.delays().includes(1_500), 'the retry after the refusal');
    expect(lastState()?.reason).toBe('The central service did not accept the sign-in; renewing it.');
    desk.scheduler.fire(1_500);
    await until(() => snapshots().length === 2, 'a snapshot on the renewed token');
    expect(desk.core.live.state().state).toBe('connected');
  });

  it('caps the backoff', async () => {
    await signIn();
    await desk.stopApi();
    await until(() => lastState()?.state === 'offline', 'offline');
    const seen: number[] = [];
    for (let i = 0; i < 8; i++) {
      await until(() => desk.scheduler.delays().length === 1, 'a retry');
      const [delay] = desk.scheduler.delays();
      seen.push(delay!);
      desk.scheduler.fire(delay!);
    }
    expect(seen).toEqual([750, 1_500, 3_000, 6_000, 12_000, 22_500, 22_500, 22_500]);
  });

  it('cuts a connection that misses its heartbeats and reconnects', async () => {
    await signIn();
    expect(desk.scheduler.delays()).toEqual([HEARTBEAT_TIMEOUT]);
    desk.scheduler.fire(HEARTBEAT_TIMEOUT);
    await until(() => lastState()?.state === 'offline', 'offline');
    expect(lastState()?.reason).toBe('No heartbeat from the central service.');
    desk.scheduler.fire(750);
    await until(() => snapshots().length === 2, 'a fresh snapshot');
    expect(desk.core.live.state().state).toBe('connected');
  });

  it('renews the token and reconnects at once when the server closes for token expiry', async () => {
    await signIn();
    const connectionsBefore = desk.snapshotsServed();
    desk.clock.advance(ACCESS_TOKEN_SECONDS * 1000);
    await until(() => snapshots().length === 2, 'a snapshot on the renewed token');
    expect(desk.snapshotsServed()).toBe(connectionsBefore + 1);
    expect(states().map((state) => state.reason)).toContain('Renewing the sign-in.');
    expect(desk.core.live.state()).toMatchObject({ state: 'connected' });
    expect(desk.scheduler.delays()).toEqual([HEARTBEAT_TIMEOUT]); // no backoff was needed
  });

  it('drops an invalid event with a logged reason that carries no patient data, and keeps the connection', async () => {
    await signIn();
    const broken = { type: 'offer', offer: { call: { from: '+447700900999', script: { lines: ['my name is Jane Patient'] } } } } as unknown as LiveEvent;
    desk.bus().publish(message(broken));
    desk.bus().publish(message(queueEvent('after')));
    await until(() => liveEvents().length === 2, 'the valid event');
    expect(liveEvents()[1]).toMatchObject({ type: 'queue', figures: { queueId: 'after' } });
    expect(desk.deskLog.text()).toContain('live event dropped: not valid');
    expect(desk.deskLog.text()).toContain('"type":"offer"');
    expect(desk.deskLog.text()).not.toContain('+447700900999');
    expect(desk.deskLog.text()).not.toContain('Jane');
    expect(desk.core.live.state().state).toBe('connected');
  });

  it('closes the connection at sign-out and does not come back', async () => {
    await signIn();
    expect(desk.api()!.app.live?.connectionCount()).toBe(1);
    await desk.core.session.signOut();
    expect(desk.core.live.state()).toMatchObject({ state: 'offline', reason: 'Signed out.', nextRetryAt: null });
    await until(() => desk.api()!.app.live?.connectionCount() === 0, 'the server to see the socket close');
    expect(desk.scheduler.delays()).toEqual([]);
    expect(desk.core.live.picture()).toMatchObject({ calls: [], queues: [], offers: [], snapshotAt: null });
  });
});
