import type { Database } from 'better-sqlite3';

/**
 * For writes that may be lost to a power cut without harm (an acknowledgement the server will repeat, a pulled page
 * that would be pulled again, the time of the last sync): `run(write)` commits `write` (a statement or a transaction,
 * not inside another one) without waiting for the disk, `synchronous = NORMAL` for it alone, then back to what the
 * cache runs with (FULL, read when this is made). In WAL mode nothing else can be lost by it: a later FULL commit
 * makes every earlier one durable, in order, and NORMAL never corrupts the file. Inside a transaction the write
 * simply joins it. (The pragma is set with `db.exec`: a prepared `PRAGMA synchronous = ...` takes effect when it is
 * prepared, and `db.pragma` prepares one at every call, 18 µs against 2 µs here, three times on every push's
 * round trip.)
 */
export function commitWithoutFlush(db: Database) {
  const level = Number(db.pragma('synchronous', { simple: true }));
  return function run<T>(write: () => T): T {
    if (db.inTransaction) return write();
    db.exec('PRAGMA synchronous = NORMAL');
    try {
      return write();
    } finally {
      db.exec(`PRAGMA synchronous = ${level}`);
    }
  };
}
