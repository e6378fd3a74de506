import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentralStore } from '../../../src-server/store/central-store';
import { openPostgresStore, openSqliteStore } from '../../../src-server/store/open-store';
import { createTwilioCallStore } from '../../../src-server/telephony/twilio/twilio-call-store';
import { manualClock, tempDir } from '../../helpers';
import { createTestDatabase, type TestDatabase } from '../../postgres';
import { callSid } from './twilio-harness';

const dir = tempDir();
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('care_desk_twilio');
});
afterAll(async () => {
  await database?.drop();
  dir.remove();
});

/** Each returns an opener of one shared database, so two stores stand for two API instances on it. */
const opens: Record<string, () => (clock: { now(): number }) => Promise<CentralStore>> = {
  SQLite: () => {
    const path = join(dir.path, `${randomBytes(4).toString('hex')}.sqlite3`);
    return (clock) => openSqliteStore(path, clock);
  },
  PostgreSQL: () => (clock) => openPostgresStore(database.url, clock),
};

describe.each(Object.keys(opens))('Twilio call records on %s', (name) => {
  it('records a repeated callback once, even when two instances receive it at the same moment', async () => {
    const clock = manualClock();
    const open = opens[name]!();
    const [a, b] = [await open(clock), await open(clock)];
    try {
      const first = createTwilioCallStore(a.db, clock);
      const second = createTwilioCallStore(b.db, clock);
      const sid = callSid(1);
      const results = await Promise.all([first.recordEvent(sid, 'call:completed', 'completed'), second.recordEvent(sid, 'call:completed', 'completed'), first.recordEvent(sid, 'call:completed', 'completed')]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await first.recordEvent(sid, 'call:ringing', 'ringing')).toBe(true);
      expect(await second.eventsFor(sid)).toHaveLength(2);

      const saved = await first.saveCall({ providerCallId: sid, callId: 'call-1', conferenceName: 'cc-call-1', direction: 'inbound' });
      const again = await second.saveCall({ providerCallId: sid, callId: 'call-2', conferenceName: 'cc-call-2', direction: 'inbound' });
      expect(again).toEqual(saved);
      await second.setConferenceSid('cc-call-1', `CF${'a'.repeat(32)}`);
      await second.setHandler(sid, 'handler-a', callSid(2));
      expect(await first.findByConferenceName('cc-call-1')).toEqual({ ...saved, conferenceSid: `CF${'a'.repeat(32)}`, handlerId: 'handler-a', handlerCallSid: callSid(2) });
    } finally {
      await a.close();
      await b.close();
    }
  });
});
