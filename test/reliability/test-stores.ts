import { join } from 'node:path';
import type { CentralStore } from '../../src-server/store/central-store';
import { openPostgresStore, openSqliteStore } from '../../src-server/store/open-store';
import { tempDir } from '../helpers';
import { createTestDatabase } from '../postgres';

export type StoreKind = 'sqlite' | 'postgres';
export const STORE_KINDS: readonly StoreKind[] = ['sqlite', 'postgres'];

export interface TestStore {
  kind: StoreKind;
  store: CentralStore;
  /** Where it lives, for the log: the SQLite file or the PostgreSQL database's name. */
  where: string;
  close(): Promise<void>;
}

/** A fresh central store: an SQLite file in a temp folder, or a new PostgreSQL database, dropped on close. */
export async function openTestStore(kind: StoreKind): Promise<TestStore> {
  if (kind === 'sqlite') {
    const dir = tempDir('care-desk-reliability-store-');
    const path = join(dir.path, 'central.sqlite3');
    const store = await openSqliteStore(path);
    return {
      kind,
      store,
      where: path,
      async close() {
        await store.close();
        dir.remove();
      },
    };
  }
  const database = await createTestDatabase('care_desk_reliability');
  try {
    const store = await openPostgresStore(database.url);
    return {
      kind,
      store,
      where: database.name,
      async close() {
        await store.close();
        await database.drop();
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}
