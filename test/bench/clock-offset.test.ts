import { describe, expect, it } from 'vitest';
import { clockOffset } from '../../bench/lib/clock-offset';

describe('setting a page clock against the bench clock', () => {
  it('trusts the reading with the shortest round trip, and says how far off it can be', () => {
    // The page's clock is 40 ms ahead. The slow readings (a busy page) would put it elsewhere.
    const readings = [
      { sentAt: 1000, remoteAt: 1000 + 40 + 30, receivedAt: 1040 },
      { sentAt: 2000, remoteAt: 2000 + 40 + 1, receivedAt: 2002 },
      { sentAt: 3000, remoteAt: 3000 + 40 + 2, receivedAt: 3010 },
    ];
    expect(clockOffset(readings)).toEqual({ offsetMs: 40, errorMs: 1 });
  });

  it('finds a clock that is behind', () => {
    expect(clockOffset([{ sentAt: 500, remoteAt: 490.5, receivedAt: 501 }])).toEqual({ offsetMs: -10, errorMs: 0.5 });
  });

  it('refuses no readings, and a reading that came back before it went', () => {
    expect(() => clockOffset([])).toThrow(/at least one/);
    expect(() => clockOffset([{ sentAt: 10, remoteAt: 10, receivedAt: 9 }])).toThrow(/before it was sent/);
  });
});
