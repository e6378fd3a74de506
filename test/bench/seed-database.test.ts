import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCaseDatabase, type SeedSummary } from '../../bench/lib/seed-database';
import { LANDLINE_BLOCKS, ukPhoneNumber, UK_PHONE_NUMBER_COUNT } from '../../bench/lib/uk-phone-numbers';
import { createVocabulary } from '../../bench/lib/vocabulary';
import { seededRandom } from '../../bench/lib/random';
import { DATABASE_FILE_NAME } from '../../src-main/core/desktop-core';
import { validateReference } from '../../src-shared/domain/reference-number';
import { normalisePhoneNumber } from '../../src-shared/domain/phone-number';
import { tempDir } from '../helpers';
import { openTestCore } from '../main/core/test-core';

describe('the bench seeder', () => {
  const dir = tempDir('care-desk-seed-test-');
  let summary: SeedSummary;
  let t: ReturnType<typeof openTestCore> | undefined;
  beforeAll(() => {
    summary = seedCaseDatabase(join(dir.path, DATABASE_FILE_NAME), { cases: 3000, callers: 900 });
    t = openTestCore({ dataDir: dir.path });
  });
  afterAll(() => {
    t?.close();
    dir.remove();
  });

  it('writes a cache the app opens and reads: screen pop, case detail, list and search', () => {
    const core = t!.core;
    expect(summary).toMatchObject({ cases: 3000, callers: 900 });
    const { phone } = core.db.prepare('SELECT phone FROM callers c WHERE EXISTS (SELECT 1 FROM cases WHERE caller_id = c.id)').get() as { phone: string };
    const pop = core.callers.lookup(phone);
    expect(pop.recentCases.length).toBeGreaterThan(0);
    const detail = core.cases.get(pop.recentCases[0]!.id);
    expect(detail.timeline[0]?.kind).toBe('created');
    expect(validateReference(detail.reference)).toEqual({ ok: true, reference: detail.reference });
    expect(core.cases.list({ limit: 50 }).items).toHaveLength(50);
    expect(core.search.search(detail.fields.description.split(' ').at(-1)!, 10).items.length).toBeGreaterThan(0);
    expect(core.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(core.db.pragma('foreign_key_check')).toEqual([]);
  });

  it('carries on the reference sequence, so the next case the app opens gets a new reference', () => {
    const core = t!.core;
    const created = core.cases.create({ type: 'question', channel: 'phone' });
    expect((core.db.prepare('SELECT count(*) AS n FROM cases WHERE reference = ?').get(created.reference) as { n: number }).n).toBe(1);
  });
});

describe('seeded phone numbers', () => {
  it('are valid UK numbers in E.164: every landline and a spread of the mobiles, all different', () => {
    const landlines = LANDLINE_BLOCKS.length * 1000;
    const indexes = [
      ...Array.from({ length: landlines }, (_, i) => i * 20 + 19),
      ...Array.from({ length: 2000 }, (_, i) => Math.floor((i / 2000) * UK_PHONE_NUMBER_COUNT)),
      UK_PHONE_NUMBER_COUNT - 1,
    ];
    const numbers = indexes.map(ukPhoneNumber);
    for (const number of numbers) expect(normalisePhoneNumber(number)).toEqual({ ok: true, e164: number });
    expect(new Set(numbers).size).toBe(new Set(indexes).size);
    expect(() => ukPhoneNumber(UK_PHONE_NUMBER_COUNT)).toThrow(RangeError);
  });

  it('never repeat over the first 300,000 callers', () => {
    expect(new Set(Array.from({ length: 300_000 }, (_, i) => ukPhoneNumber(i))).size).toBe(300_000);
  });
});

describe('the seeded vocabulary', () => {
  it('is Zipf-shaped: the commonest words are very common and the rarest rare', () => {
    const vocabulary = createVocabulary();
    const random = seededRandom(1);
    const counts = new Map<number, number>();
    for (let i = 0; i < 200_000; i++) {
      const rank = vocabulary.draw(random);
      counts.set(rank, (counts.get(rank) ?? 0) + 1);
    }
    expect(vocabulary.words.length).toBeGreaterThan(30_000);
    expect(new Set(vocabulary.words).size).toBe(vocabulary.words.length);
    expect(counts.get(0)! / 200_000).toBeGreaterThan(0.03);
    expect(counts.get(0)!).toBeGreaterThan(20 * (counts.get(100) ?? 0));
    const tail = [...counts].filter(([rank]) => rank >= 20_000).reduce((sum, [, n]) => sum + n, 0);
    expect(tail / 200_000).toBeLessThan(0.05);
  });
});
