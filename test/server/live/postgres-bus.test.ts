import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LiveMessage } from '../../../src-server/live/live-bus';
import { openPostgresBus } from '../../../src-server/live/postgres-bus';
import { capturingLogger } from '../../helpers';
import { bigCallEvent, message, queueEvent, until } from './live-fixtures';
import { adminUrl, withAdmin } from '../../postgres';
import { terminateConnections, uniqueChannel } from './postgres-fixtures';

/** A bus and every message its subscriber got, in order. */
async function openRecordedBus(channel: string) {
  const log = capturingLogger('bus');
  const bus = await openPostgresBus({ connectionString: adminUrl, channel, logger: log.logger, reconnect: { minMs: 20, maxMs: 200 } });
  const received: LiveMessage[] = [];
  bus.subscribe((m) => received.push(m));
  return { bus, received, log };
}

const queueIds = (received: LiveMessage[]) => received.map((m) => (m.event.type === 'queue' ? m.event.figures.queueId : m.event.type));

describe('the PostgreSQL live bus', () => {
  let channel: string;
  let a: Awaited<ReturnType<typeof openRecordedBus>>;
  let b: Awaited<ReturnType<typeof openRecordedBus>>;

  beforeEach(async () => {
    channel = uniqueChannel();
    a = await openRecordedBus(channel);
    b = await openRecordedBus(channel);
  });

  afterEach(async () => {
    await a.bus.close();
    await b.bus.close();
  });

  it('delivers a message to the other instance once, and to its own instance once', async () => {
    a.bus.publish(message(queueEvent('from-a'), { teamIds: ['t1'], minRole: 'supervisor' }));
    await until(() => b.received.length === 1, 'b to hear a');
    expect(b.received[0]).toEqual(message(queueEvent('from-a'), { teamIds: ['t1'], minRole: 'supervisor' }));
    // B answers after it heard A, so A's own notification (if it were delivered) would arrive before B's.
    b.bus.publish(message(queueEvent('from-b')));
    await until(() => a.received.length >= 2, 'a to hear b');
    expect(queueIds(a.received)).toEqual(['from-a', 'from-b']);
    expect(queueIds(b.received)).toEqual(['from-a', 'from-b']);
  });

  it('keeps the order of many messages from one instance', async () => {
    for (let i = 0; i < 200; i++) a.bus.publish(message(queueEvent(`q${i}`)));
    await until(() => b.received.length === 200, '200 messages');
    expect(queueIds(b.received)).toEqual(Array.from({ length: 200 }, (_, i) => `q${i}`));
  });

  it('carries messages far above the 8000-byte NOTIFY limit intact, multi-byte characters included', async () => {
    const big = message(bigCallEvent(300 * 1024, 'big-1'));
    const justOver = message(bigCallEvent(8_100, 'just-over'));
    a.bus.publish(big);
    a.bus.publish(message(queueEvent('small-between')));
    a.bus.publish(justOver);
    await until(() => b.received.length === 3, 'three messages');
    expect(JSON.stringify(big).length).toBeGreaterThan(300 * 1024);
    expect(b.received).toEqual([big, message(queueEvent('small-between')), justOver]);
  });

  it('ignores a notification that is not a valid live message, and keeps working', async () => {
    await withAdmin(async (admin) => {
      await admin.query('SELECT pg_notify($1, $2)', [channel, 'not json']);
      await admin.query('SELECT pg_notify($1, $2)', [channel, JSON.stringify({ v: 1, from: 'elsewhere', m: { event: { type: 'offer', callerNumber: '+447700900999' }, audience: {} } })]);
    });
    a.bus.publish(message(queueEvent('after')));
    await until(() => b.received.length === 1, 'the valid message');
    expect(queueIds(b.received)).toEqual(['after']);
    expect(b.log.text()).toContain('not valid; ignored');
    expect(b.log.text()).not.toContain('+447700900999');
  });

  it('re-listens after its connection is cut, reports the gap, and hears the other instance again', async () => {
    let gaps = 0;
    b.bus.onGap?.(() => (gaps += 1));
    expect(await terminateConnections(b.bus.listenerApplicationName)).toBe(1);
    await until(() => gaps === 1, 'the gap to be reported');
    a.bus.publish(message(queueEvent('after-reconnect')));
    await until(() => b.received.length === 1, 'the message after the reconnect');
    expect(queueIds(b.received)).toEqual(['after-reconnect']);
    expect(b.log.text()).toContain('lost its PostgreSQL listening connection');
  });

  it('sends again once its publishing connection comes back', async () => {
    a.bus.publish(message(queueEvent('first')));
    await until(() => b.received.length === 1, 'the first message');
    await terminateConnections(`care-desk-live-publish-${a.bus.instanceId.slice(0, 8)}`);
    a.bus.publish(message(queueEvent('second')));
    await until(() => b.received.length === 2, 'the second message');
    expect(queueIds(b.received)).toEqual(['first', 'second']);
  });

  it('refuses a channel name that is not a plain identifier', async () => {
    await expect(openPostgresBus({ connectionString: adminUrl, channel: 'x"; DROP TABLE y; --', logger: capturingLogger().logger })).rejects.toThrow('lower-case identifier');
  });
});
