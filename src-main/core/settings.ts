import type { Database } from 'better-sqlite3';

/** Reads and writes the `settings` table. Values are stored as JSON text. */
export function createSettings(db: Database, clock: { now(): number }) {
  const select = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const remove = db.prepare<[string]>('DELETE FROM settings WHERE key = ?');
  const upsert = db.prepare<[string, string, string]>(
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  );
  return {
    get<T>(key: string): T | undefined {
      const row = select.get(key);
      return row ? (JSON.parse(row.value) as T) : undefined;
    },
    set(key: string, value: unknown): void {
      upsert.run(key, JSON.stringify(value), new Date(clock.now()).toISOString());
    },
    delete(key: string): void {
      remove.run(key);
    },
    /** Returns the stored value, or stores and returns `create()` the first time. */
    getOrCreate<T>(key: string, create: () => T): T {
      return db.transaction(() => {
        const existing = select.get(key);
        if (existing) return JSON.parse(existing.value) as T;
        const value = create();
        upsert.run(key, JSON.stringify(value), new Date(clock.now()).toISOString());
        return value;
      }).immediate();
    },
  };
}

export type Settings = ReturnType<typeof createSettings>;
