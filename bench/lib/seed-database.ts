import type { Database } from 'better-sqlite3';
import { openDatabase } from '../../src-main/core/db/open-database';
import { seedDemoReferenceData } from '../../src-main/core/reference-data/demo-seed';
import { caseTypes, channels, type CaseType, type Channel } from '../../src-shared/domain/case-types';
import { categories, isHighPriorityAllowed } from '../../src-shared/domain/categories';
import { encodeReference } from '../../src-shared/domain/reference-number';
import { isOpenStatus, type CaseStatus } from '../../src-shared/domain/statuses';
import { aliasSampler, pick, seededRandom } from './random';
import { ukPhoneNumber } from './uk-phone-numbers';
import { createVocabulary } from './vocabulary';

export interface SeedOptions {
  cases: number;
  callers: number;
  seed?: number;
}

export interface SeedSummary {
  cases: number;
  callers: number;
  notes: number;
  seconds: number;
  /** The desk tag the references were made with; the reference sequence continues after the seeded cases. */
  deskTag: number;
}

export const SEED_DESK_TAG = 4242;
const START = Date.parse('2023-11-21T08:00:00.000Z');
const SPAN_MS = 3 * 365 * 86_400_000;
const BATCH = 50_000;
const HANDLERS = Array.from({ length: 40 }, (_, i) => ({ id: `handler-${String(i + 1).padStart(2, '0')}`, name: `Handler ${i + 1}` }));
const FIRST_NAMES = ['Amelia', 'Olivia', 'Isla', 'Ava', 'Mia', 'Grace', 'Sophie', 'Aisha', 'Fatima', 'Zara', 'Priya', 'Margaret', 'Jean', 'Susan', 'Patricia', 'Oliver', 'George', 'Harry', 'Jack', 'Noah', 'Mohammed', 'Arjun', 'David', 'John', 'Peter', 'Michael', 'Kwame', 'Tomasz', 'Liam', 'Ewan'];
const LAST_NAMES = ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Khan', 'Ahmed', 'Singh', 'Robinson', 'Wright', 'Thompson', 'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Wood', 'Jackson', 'Clarke', 'Hughes', 'Edwards', 'Murphy', 'Kowalski', 'Okafor', 'Campbell'];
const CLOSED_FEEDBACK: readonly CaseStatus[] = ['responded', 'responded', 'responded', 'unable-to-resolve', 'referred-to-provider', 'unable-to-contact'];
const OPEN_FEEDBACK: readonly CaseStatus[] = ['open', 'in-progress', 'in-progress', 'escalated'];

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** A UUIDv7 for time `ms`, its random bits from the seeded generator, so ids sort by creation as the app's do. */
function uuidv7(ms: number, random: () => number): string {
  const t = ms.toString(16).padStart(12, '0');
  const r = () => HEX[Math.floor(random() * 256)]!;
  const variant = HEX[0x80 | Math.floor(random() * 64)]!;
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${r().slice(1)}${r()}-${variant}${r()}-${r()}${r()}${r()}${r()}${r()}${r()}`;
}

/**
 * Fills an empty local cache with `cases` cases over `callers` callers, straight into the real schema with raw
 * prepared statements in large transactions: callers (valid UK numbers in E.164, some frequent callers with a
 * hundred cases or more), cases with the caller's words, their timelines (created, notes, closing status), and
 * the full-text index. The result reads exactly like a desk that logged those cases itself.
 */
export function seedCaseDatabase(path: string, options: SeedOptions): SeedSummary {
  const started = performance.now();
  const random = seededRandom(options.seed ?? 20261121);
  const vocabulary = createVocabulary();
  const db = openDatabase(path);
  try {
    seedDemoReferenceData(db);
    // A bulk load into a file nobody else has open: no journal and no fsync until the end. The app's own settings
    // (WAL, synchronous=FULL) are back the next time the file is opened.
    db.pragma('journal_mode = MEMORY');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -1048576');
    db.pragma('temp_store = MEMORY');
    db.pragma('foreign_keys = OFF');
    // Secondary indexes are built once at the end (one sort each) rather than row by row; the same SQL as the
    // migrations, so the result is the same schema.
    const indexes = db
      .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('cases', 'case_events')")
      .all() as { name: string; sql: string }[];
    for (const index of indexes) db.exec(`DROP INDEX ${index.name}`);
    // The app merges search-index segments between saves (storage maintenance); a bulk load has no "between", so
    // FTS5 merges as it goes, as it would by default, and the app's setting is put back at the end.
    const automerge = db.prepare("SELECT v FROM case_search_config WHERE k = 'automerge'").get() as { v: number } | undefined;
    // (FTS5 refuses this setting as a bound parameter, so the number is written into the SQL.)
    const setAutomerge = (pages: number) => db.exec(`INSERT INTO case_search (case_search, rank) VALUES ('automerge', ${Math.trunc(pages)})`);
    setAutomerge(4);
    const summary = fill(db, options, random, vocabulary);
    setAutomerge(automerge?.v ?? 4);
    for (const index of indexes) db.exec(index.sql);
    db.pragma('journal_mode = WAL');
    return { ...summary, seconds: (performance.now() - started) / 1000 };
  } finally {
    db.close();
  }
}

function fill(db: Database, options: SeedOptions, random: () => number, vocabulary: ReturnType<typeof createVocabulary>) {
  const providers = db.prepare('SELECT p.id, d.name AS department FROM providers p LEFT JOIN provider_departments d ON d.provider_id = p.id').all() as {
    id: string;
    department: string | null;
  }[];
  const setting = db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  const insertCaller = db.prepare('INSERT INTO callers (id, phone, name, flags, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
  const insertCase = db.prepare(`
    INSERT INTO cases (id, reference, type, channel, status, category, provider_id, department, description, priority, flags,
      commissioning, contact_method, contact_phone, contact_email, caller_id, previous_reference, owner_id, created_by,
      created_at, updated_at, closed_at, version)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', ?, ?, ?, NULL, ?, NULL, ?, ?, ?, ?, ?, ?)`);
  const insertEvent = db.prepare(`
    INSERT INTO case_events (id, case_id, kind, field, old_value, new_value, body, author_id, author_name, at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertSearch = db.prepare('INSERT INTO case_search (rowid, reference, description, notes) VALUES (?, ?, ?, ?)');

  const iso = (ms: number) => new Date(ms).toISOString();
  const callers: { id: string; phone: string }[] = [];
  db.transaction(() => {
    // The desk's own settings, as the app leaves them, so opening the seeded cache writes nothing.
    setting.run('installId', JSON.stringify('0190a1b2-c3d4-4e5f-8a6b-7c8d9e0f1a2b'), iso(START));
    setting.run('deskTag', JSON.stringify(SEED_DESK_TAG), iso(START));
    setting.run('referenceSequence', JSON.stringify(options.cases), iso(START));
    for (let i = 0; i < options.callers; i++) {
      const at = START + Math.floor((i / options.callers) * SPAN_MS);
      const caller = { id: uuidv7(at, random), phone: ukPhoneNumber(i) };
      const name = random() < 0.8 ? `${pick(random, FIRST_NAMES)} ${pick(random, LAST_NAMES)}` : null;
      const flags = random() < 0.03 ? '["vulnerable"]' : random() < 0.01 ? '["interpreter-needed"]' : '[]';
      insertCaller.run(caller.id, caller.phone, name, flags, iso(at), iso(at));
      callers.push(caller);
    }
  })();

  // Who calls: 1 / (i + 1000) weights give a long tail of one-off callers and a few hundred frequent ones, the
  // busiest with about 150 cases. Web, email and social contacts mostly have no caller record.
  const drawCaller = aliasSampler(callers.map((_, i) => 1 / (i + 1000)));
  const typeWeights = aliasSampler([30, 60, 10]);
  const channelWeights = aliasSampler([70, 12, 5, 5, 8]);
  const noteCounts = aliasSampler([30, 35, 20, 10, 3, 2]);
  let notes = 0;
  const step = SPAN_MS / options.cases;
  for (let from = 0; from < options.cases; from += BATCH) {
    db.transaction(() => {
      for (let n = from; n < Math.min(options.cases, from + BATCH); n++) {
        const createdMs = Math.floor(START + n * step + random() * step);
        const type: CaseType = caseTypes[typeWeights(random)]!;
        const channel: Channel = channels[channelWeights(random)]!;
        const caller = channel === 'phone' || random() < 0.2 ? callers[drawCaller(random)]! : null;
        const id = uuidv7(createdMs, random);
        const reference = encodeReference(SEED_DESK_TAG, n);
        const handler = pick(random, HANDLERS);
        const age = 1 - n / options.cases;
        const closed = random() < 0.2 + 0.78 * Math.min(1, age * 20);
        const status: CaseStatus =
          type === 'feedback' ? pick(random, closed ? CLOSED_FEEDBACK : OPEN_FEEDBACK) : closed ? 'answered' : 'open';
        const category = type === 'feedback' || random() < 0.3 ? pick(random, categories) : null;
        const provider = type === 'feedback' || random() < 0.4 ? pick(random, providers) : null;
        const priority = category && isHighPriorityAllowed(category) && random() < 0.05 ? 'high' : 'normal';
        const description = vocabulary.text(random, 20 + Math.floor(random() * 31));
        const noteCount = noteCounts(random);
        const noteBodies: string[] = [];
        let at = createdMs;
        const events: [string, string, string, string | null, string | null, string | null, string | null, string, string, string][] = [
          [uuidv7(createdMs, random), id, 'created', null, null, JSON.stringify({ type, channel, reference }), null, handler.id, handler.name, iso(createdMs)],
        ];
        for (let k = 0; k < noteCount; k++) {
          at += 60_000 + Math.floor(random() * 3 * 86_400_000);
          const body = vocabulary.text(random, 8 + Math.floor(random() * 23));
          noteBodies.push(body);
          events.push([uuidv7(at, random), id, 'note', null, null, null, body, handler.id, handler.name, iso(at)]);
        }
        let closedAt: string | null = null;
        if (status !== 'open') {
          at += 3_600_000 + Math.floor(random() * 5 * 86_400_000);
          if (!isOpenStatus(status)) closedAt = iso(at);
          events.push([uuidv7(at, random), id, 'status', 'status', JSON.stringify('open'), JSON.stringify(status), null, handler.id, handler.name, iso(at)]);
        }
        const contactPhone = caller && random() < 0.5 ? caller.phone : null;
        const info = insertCase.run(
          id,
          reference,
          type,
          channel,
          status,
          category,
          provider?.id ?? null,
          provider?.department ?? null,
          description,
          priority,
          random() < 0.5 ? 'local' : null,
          contactPhone ? 'phone' : 'none',
          contactPhone,
          caller?.id ?? null,
          handler.id,
          handler.id,
          iso(createdMs),
          iso(at),
          closedAt,
          events.length,
        );
        for (const event of events) insertEvent.run(...event);
        insertSearch.run(info.lastInsertRowid, reference, description, noteBodies.join(' '));
        notes += noteCount;
      }
    })();
  }
  return { cases: options.cases, callers: options.callers, notes, deskTag: SEED_DESK_TAG };
}
