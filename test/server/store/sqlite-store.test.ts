import { openFreshStore } from './fresh-store';
import { describeCentralStore } from './store-contract';

describeCentralStore('SQLite', (clock) => openFreshStore('sqlite', { prefix: 'store', clock }));
