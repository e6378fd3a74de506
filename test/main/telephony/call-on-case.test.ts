import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDesktopCore, type DesktopCore } from '../../../src-main/core/desktop-core';
import { seedDemoOrganisation } from '../../../src-server/demo-organisation';
import type { CentralStore } from '../../../src-server/store/central-store';
import { openSqliteStore } from '../../../src-server/store/open-store';
import { openTelephonyLine, type TelephonyLine } from '../../../src-server/telephony/line';
import type { CallRecord } from '../../../src-shared/telephony/model';
import { capturingLogger, tempDir } from '../../helpers';
import { listenTestApi, TEST_PASSWORD_COST, type TestApi } from '../../server/api-harness';
import { testCoreDeps } from '../core/test-core';

async function until<T>(what: string, probe: () => T | null | undefined | false | Promise<T | null | undefined | false>): Promise<T> {
  // Up to 30 s: the simulated caller arrives after an exponential wait (mean 1 s), so a rare one takes several seconds.
  for (let attempt = 0; attempt < 1200; attempt++) {
    const value = await probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("a phone call's times and outcome on its case", () => {
  const dir = tempDir('call-on-case-');
  let store: CentralStore;
  let line: TelephonyLine;
  let api: TestApi;
  let core: DesktopCore;

  beforeAll(async () => {
    store = await openSqliteStore(join(dir.path, 'central.sqlite3'));
    await seedDemoOrganisation(store, TEST_PASSWORD_COST);
    const logger = pino({ level: 'silent' });
    line = await openTelephonyLine({ store, logger, clock: Date, simulator: { autoStart: false } });
    api = await listenTestApi({ logger, clock: Date, store, telephony: line.telephony, live: line.live });
    core = createDesktopCore(testCoreDeps({ dataDir: join(dir.path, 'desk'), centralApiUrl: api.base, clock: Date, logger: capturingLogger('desk').logger, autoSync: false }));
    core.start();
    await core.signIn('handler@demo.careconnect.test', 'demo-handler-2026');
  });

  afterAll(async () => {
    core?.close();
    await api?.close();
    await line?.close();
    await store?.close();
    dir.remove();
  });

  it('goes on the case when wrap-up ends, on the desk at once and on the central service by sync, once', async () => {
    await until('the live link', () => core.live.state().state === 'connected');
    await core.telephony.setState({ state: 'available' });
    // A simulated caller rings (one a second on average), and the line goes quiet again.
    line.telephony.simulator!.start({ feedback: 3600, concern: 0, question: 0, general: 0 });
    const offer = await until('the offer on the desk', () => core.live.picture().offers[0]);
    line.telephony.simulator!.stop();
    await core.telephony.answer(offer.call.id);
    const created = core.cases.create({ type: 'feedback', channel: 'phone', callerId: null });
    await core.telephony.linkCase(offer.call.id, created.id);
    await core.telephony.hold(offer.call.id, true);
    await core.telephony.hold(offer.call.id, false);
    await core.telephony.hangUp(offer.call.id);
    await core.telephony.wrapUp(offer.call.id, 'information-given', created.id);

    const onDesk = await until('the call on the case', () => core.cases.get(created.id).timeline.find((event) => event.kind === 'call'));
    const record = onDesk.newValue as CallRecord;
    expect(record).toMatchObject({ callId: offer.call.id, direction: 'inbound', queueId: 'feedback', number: offer.call.from, outcome: 'answered', dispositionId: 'information-given' });
    for (const time of [record.offeredAt, record.answeredAt, record.endedAt, record.wrapUpEndedAt]) expect(time).toEqual(expect.any(String));
    expect(Date.parse(record.answeredAt!)).toBeGreaterThanOrEqual(Date.parse(record.offeredAt!));
    expect(Date.parse(record.endedAt!)).toBeGreaterThanOrEqual(Date.parse(record.answeredAt!));
    expect(record.heldMs).toBeGreaterThanOrEqual(0);

    await core.syncNow();
    const central = await store.readCase({ userId: 'reader', name: 'Reader', role: 'supervisor', teamIds: [(await store.findUserByEmail('handler@demo.careconnect.test'))!.teamIds[0]!] }, created.id, 'Checking the call was recorded');
    const calls = central!.events.filter((event) => event.kind === 'call');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.id).toBe(onDesk.id);
    expect(calls[0]!.value).toEqual(record);

    // The same ending heard again (a reconnect's snapshot, a repeated event) records nothing more.
    expect(core.cases.recordCall(created.id, record)).toBeNull();
    expect(core.cases.get(created.id).timeline.filter((event) => event.kind === 'call')).toHaveLength(1);
  }, 45_000);
});
