import { join } from 'node:path';
import { openSqliteStore } from '../../../src-server/store/open-store';
import type { CentralStore } from '../../../src-server/store/central-store';
import { tempDir } from '../../helpers';
import { describeCentralStore } from './store-contract';

describeCentralStore('SQLite', async (clock) => {
  const folder = tempDir('care-desk-store-');
  const path = join(folder.path, 'central.sqlite');
  const stores: CentralStore[] = [await openSqliteStore(path, clock)];
  return {
    store: stores[0]!,
    async reopen() {
      const store = await openSqliteStore(path, clock);
      stores.push(store);
      return store;
    },
    async cleanup() {
      for (const store of stores) await store.close();
      folder.remove();
    },
  };
});
