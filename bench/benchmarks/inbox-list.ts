import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DATABASE_FILE_NAME } from '../../src-main/core/desktop-core';
import { migrations } from '../../src-main/core/db/migrations';
import { openDatabase } from '../../src-main/core/db/open-database';
import { INBOX_WHERE } from '../../src-main/core/inbox/inbox-repository';
import type { InboxFilters } from '../../src-shared/contract/inbox';
import { dropShownReports, openHandlerBenchCore } from '../lib/bench-core';
import { percentile, result, samplePaired, type Benchmark } from '../lib/measure';
import { pick, seededRandom } from '../lib/random';
import { benchCacheRoot } from '../lib/seeded-cache';
import { seedCaseDatabase } from '../lib/seed-database';
import { createVocabulary } from '../lib/vocabulary';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2000);
/** Open contacts in the inbox. */
const CONTACTS = Number(process.env.BENCH_INBOX_CONTACTS ?? 100_000);
/** The rest of the cache: cases of every channel and status, as a desk that has worked a while holds. */
const OTHER_CASES = Number(process.env.BENCH_INBOX_OTHER_CASES ?? 300_000);
/** Contacts are seeded over the 30 days before the cache is built. */
const NOW = Date.now();

/** The filter combinations the screen sends, in the mix a day's use might: mostly the default and one filter. */
const FILTERS: InboxFilters[] = [
  {},
  {},
  { owner: 'unclaimed' },
  { channel: 'sms' },
  { channel: 'email' },
  { type: 'general-enquiry' },
  { age: 'overdue' },
  { age: 'over-24h', owner: 'unclaimed' },
  { status: 'in-progress' },
  { channel: 'social', owner: 'unclaimed' },
  { owner: 'mine' },
];

/**
 * The inbox's own cache: the realistic seed (OTHER_CASES cases, mostly phone and closed), and CONTACTS open contacts
 * by web, SMS, email and social media and general enquiries over the last 30 days, each with one to three messages,
 * mostly unclaimed. Built once per schema and kept beside the other seeded caches.
 */
function inboxCache(log: (line: string) => void): { dataDir: string; path: string } {
  const schema = migrations.at(-1)?.version ?? 0;
  const dataDir = join(benchCacheRoot(), `inbox-v2-schema${schema}-${CONTACTS}o-${OTHER_CASES}c`);
  const path = join(dataDir, DATABASE_FILE_NAME);
  if (existsSync(join(dataDir, 'seed.json'))) return { dataDir, path };
  const partial = `${dataDir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  log(`seeding ${OTHER_CASES.toLocaleString('en-GB')} cases and ${CONTACTS.toLocaleString('en-GB')} open contacts into ${dataDir} (once per schema)`);
  seedCaseDatabase(join(partial, DATABASE_FILE_NAME), { cases: OTHER_CASES, callers: Math.round(OTHER_CASES * 0.3), seed: 7 });
  const db = openDatabase(join(partial, DATABASE_FILE_NAME));
  try {
    db.pragma('synchronous = OFF');
    const random = seededRandom(77);
    const vocabulary = createVocabulary();
    const insertCase = db.prepare(`INSERT INTO cases (id, reference, type, channel, status, description, owner_id, created_by, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, 'intake', ?, ?)`);
    const insertMessage = db.prepare(`INSERT INTO case_events (id, case_id, kind, new_value, body, author_id, author_name, at) VALUES (?, ?, 'message', ?, ?, ?, ?, ?)`);
    const channels = ['web', 'web', 'web', 'sms', 'sms', 'social', 'email', 'phone'] as const;
    const handlers = Array.from({ length: 40 }, (_, i) => `handler-${String(i + 1).padStart(2, '0')}`);
    db.transaction(() => {
      for (let i = 0; i < CONTACTS; i++) {
        const createdMs = NOW - Math.floor(random() * 30 * 86_400_000);
        const channel = pick(random, channels);
        const type = channel === 'phone' || random() < 0.15 ? 'general-enquiry' : random() < 0.6 ? 'question' : 'feedback';
        const claimed = random() < 0.3;
        const status = claimed && random() < 0.5 ? 'in-progress' : 'open';
        const id = `inbox-${String(i).padStart(7, '0')}`;
        const iso = new Date(createdMs).toISOString();
        insertCase.run(id, `CC-IN${String(i).padStart(7, '0')}`, type, channel, status, vocabulary.text(random, 20), claimed ? pick(random, handlers) : 'intake', iso, iso);
        if (channel === 'phone') continue;
        const messages = 1 + Math.floor(random() * 3);
        for (let m = 0; m < messages; m++) {
          const outbound = m % 2 === 1;
          const at = new Date(createdMs + m * 3_600_000).toISOString();
          insertMessage.run(`${id}-m${m}`, id, JSON.stringify({ direction: outbound ? 'outbound' : 'inbound', channel, externalId: null }), vocabulary.text(random, 12), outbound ? 'handler-01' : 'intake', outbound ? 'Handler 1' : 'Patient', at);
        }
      }
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  writeFileSync(join(partial, 'seed.json'), JSON.stringify({ contacts: CONTACTS, otherCases: OTHER_CASES, builtAt: new Date().toISOString() }));
  rmSync(dataDir, { recursive: true, force: true });
  renameSync(partial, dataDir);
  return { dataDir, path };
}

/**
 * `inbox-list-p99` (ms, 100,000 open contacts): the shared inbox's page, `core.inbox.list(filters)`, over a cache with
 * 100,000 open contacts among 400,000 cases, for the filter mix the screen sends: the oldest 100 with their newest
 * message and owner's name, the count of all that match, and the report of the cases shown for the audit log (a
 * signed-in handler's desk). Baseline: the raw indexed SQL for the same filters on
 * its own connection, the page of case rows alone (no message, no name, no count), from the same index.
 */
export const inboxList: Benchmark = {
  name: 'inbox-list',
  async run() {
    const cache = inboxCache((line) => process.stderr.write(`${line}\n`));
    readFileSync(cache.path);
    const core = openHandlerBenchCore(cache.dataDir);
    const raw = new Database(cache.path, { readonly: true });
    try {
      const inboxTotal = (raw.prepare(`SELECT count(*) AS n FROM cases c INDEXED BY cases_inbox WHERE ${INBOX_WHERE}`).get() as { n: number }).n;
      const baselineFor = (filters: InboxFilters) => {
        const where = [INBOX_WHERE];
        if (filters.channel) where.push(`c.channel = '${filters.channel}'`);
        if (filters.type) where.push(`c.type = '${filters.type}'`);
        if (filters.status) where.push(`c.status = '${filters.status}'`);
        if (filters.owner === 'unclaimed') where.push("c.owner_id = 'intake'");
        if (filters.owner === 'mine') where.push("c.owner_id = 'handler-07'");
        if (filters.age === 'over-24h') where.push(`c.created_at <= '${new Date(Date.now() - 86_400_000).toISOString()}'`);
        if (filters.age === 'overdue') where.push(`c.created_at <= '${new Date(Date.now() - 4 * 3_600_000).toISOString()}'`);
        const index = filters.owner && filters.owner !== 'any' ? 'cases_inbox_by_owner' : 'cases_inbox';
        return raw.prepare(`SELECT c.* FROM cases c INDEXED BY ${index} WHERE ${where.join(' AND ')} ORDER BY c.created_at, c.id LIMIT 100`);
      };
      const baselines = FILTERS.map(baselineFor);
      const { ours, baseline } = await samplePaired(
        ROUNDS,
        (i) => core.inbox.list({ ...FILTERS[i % FILTERS.length], limit: 100 }),
        (i) => baselines[i % FILTERS.length]!.all(),
        200,
      );
      return [
        result('inbox-list-p50', percentile(ours, 50), 'ms', percentile(baseline, 50)),
        result('inbox-list-p99', percentile(ours, 99), 'ms', percentile(baseline, 99), `target: value <= 20 ms; ${inboxTotal.toLocaleString('en-GB')} open contacts in the inbox`),
      ];
    } finally {
      raw.close();
      dropShownReports(core);
      core.close();
    }
  },
};
