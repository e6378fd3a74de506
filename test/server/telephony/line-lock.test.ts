import { randomInt } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CentralStore } from '../../../src-server/store/central-store';
import { openPostgresStore } from '../../../src-server/store/open-store';
import { takeLineLock, type LineLock } from '../../../src-server/telephony/line-lock';
import { openTelephonyLine, type TelephonyLine } from '../../../src-server/telephony/line';
import { capturingLogger } from '../../helpers';
import { adminUrl, createTestSchema, withAdmin, type TestSchema } from '../../postgres';

/** A lock key no other test run uses (advisory locks are per database, and test files share one). */
const freshKey = () => randomInt(1_000_000, 2 ** 31 - 1);

/** Who holds advisory lock `key` on the admin database: the backend's pid, or null. */
async function holderOf(key: number): Promise<number | null> {
  return withAdmin(async (admin) => {
    const { rows } = await admin.query<{ pid: number }>(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = 0 AND objid = $1 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [key],
    );
    return rows[0]?.pid ?? null;
  });
}

describe('the phone line lock (one instance on a PostgreSQL database routes calls)', () => {
  const held: LineLock[] = [];
  const take = async (key: number, waitMs: number, onLost: (error: Error) => void = () => undefined) => {
    const lock = await takeLineLock({ connectionString: adminUrl, logger: capturingLogger('line').logger, key, waitMs, onLost });
    held.push(lock);
    return lock;
  };
  afterEach(async () => {
    await Promise.all(held.splice(0).map((lock) => lock.release()));
  });

  it('refuses a second instance with what to do, and lets one in once the first lets go', async () => {
    const key = freshKey();
    const first = await take(key, 0);
    const firstHolder = await holderOf(key);
    expect(firstHolder).not.toBeNull();
    await expect(take(key, 300)).rejects.toThrow(/Another central API instance on this database routes calls.*PHONE_LINE=off/);
    // The refused instance took nothing and left no connection holding anything.
    expect(await holderOf(key)).toBe(firstHolder);
    await first.release();
    expect(await holderOf(key)).toBeNull();
    await take(key, 0);
    expect(await holderOf(key)).not.toBeNull();
  });

  it('waits for an instance being replaced to let go, then takes the line', async () => {
    const key = freshKey();
    const old = await take(key, 0);
    const replacement = take(key, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await old.release();
    await expect(replacement).resolves.toBeDefined();
    expect(await holderOf(key)).not.toBeNull();
  });

  it('says once that the line is lost when its connection is cut, as a failover would cut it', async () => {
    const key = freshKey();
    const lost: Error[] = [];
    await take(key, 0, (error) => lost.push(error));
    const pid = await holderOf(key);
    await withAdmin((admin) => admin.query('SELECT pg_terminate_backend($1)', [pid]));
    await expect.poll(() => lost.length, { timeout: 5_000 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(lost).toHaveLength(1);
    expect(await holderOf(key)).toBeNull();
  });
});

describe('two API instances opening the phone line on one PostgreSQL store', () => {
  let schema: TestSchema;
  let store: CentralStore;
  const lines: TelephonyLine[] = [];

  beforeAll(async () => {
    schema = await createTestSchema('line_lock');
    store = await openPostgresStore(schema.url);
  });
  afterAll(async () => {
    await Promise.all(lines.splice(0).map((line) => line.close()));
    await store?.close();
    await schema?.drop();
  });

  it('lets the first route calls and refuses the second until the first closes its line', async () => {
    const key = freshKey();
    const open = (waitMs: number) =>
      openTelephonyLine({ store, logger: capturingLogger('api').logger, clock: Date, databaseUrl: schema.url, simulator: { autoStart: false }, lineLock: { key, waitMs, onLost: () => undefined } });
    const first = await open(0);
    lines.push(first);
    await expect(open(200)).rejects.toThrow(/PHONE_LINE=off/);
    await first.close();
    lines.splice(0);
    expect(await holderOf(key)).toBeNull();
    lines.push(await open(0));
    expect(await holderOf(key)).not.toBeNull();
  });
});
