import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CentralStore } from '../../../src-server/store/central-store';
import { openSqliteStore } from '../../../src-server/store/open-store';
import { tempDir } from '../../helpers';

describe('the SQLite store writes a query’s limit into its text', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: CentralStore;
  beforeEach(async () => {
    dir = tempDir();
    store = await openSqliteStore(join(dir.path, 'c.sqlite3'));
    for (const name of ['Cardiology', 'Maternity', 'Pharmacy']) await store.createTeam(name);
  });
  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  it('runs a limited query with the number in its SQL, not bound, and honours it', async () => {
    const query = store.db.selectFrom('teams').select('name').orderBy('name').limit(2);
    const compiled = query.compile();
    expect(compiled.sql).toMatch(/limit 2$/);
    expect(compiled.parameters).toEqual([]);
    expect((await query.execute()).map((row) => row.name)).toEqual(['Cardiology', 'Maternity']);
  });

  it('leaves a limit that is not a plain number bound', async () => {
    const query = store.db.selectFrom('teams').select('name').orderBy('name').limit(sql<number>`1 + 1`);
    expect((await query.execute()).map((row) => row.name)).toEqual(['Cardiology', 'Maternity']);
  });
});
