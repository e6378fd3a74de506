import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../../src-main/core/db/migrate';
import { migration0010Settings } from '../../../../src-main/core/db/migrations/0010-settings';
import { createSettings } from '../../../../src-main/core/settings';
import { manualClock } from '../../../helpers';

describe('migration 0010: settings', () => {
  it('creates a settings table that keeps JSON values and refuses anything else', () => {
    const db = new Database(':memory:');
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    migrate(db, [migration0010Settings]);
    const clock = manualClock();
    const settings = createSettings(db, clock);
    settings.set('ui', { density: 'compact' });
    expect(settings.get('ui')).toEqual({ density: 'compact' });
    expect(() => db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('x', 'not json', 'now')").run()).toThrow(/CHECK/);
  });

  it('creates a value once and returns the same one afterwards', () => {
    const db = new Database(':memory:');
    migrate(db, [migration0010Settings]);
    const settings = createSettings(db, manualClock());
    const first = settings.getOrCreate('installId', () => 'id-1');
    const second = settings.getOrCreate('installId', () => 'id-2');
    expect([first, second]).toEqual(['id-1', 'id-1']);
  });
});
