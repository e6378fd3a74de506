import { describe, expect, it } from 'vitest';
import { formatElapsed } from '../../src-renderer/components/elapsed-time';

describe('formatElapsed', () => {
  it('reads like a contact-centre timer', () => {
    expect(formatElapsed(0)).toBe('0:00');
    expect(formatElapsed(59_999)).toBe('0:59');
    expect(formatElapsed(61_000)).toBe('1:01');
    expect(formatElapsed(3_600_000 + 5 * 60_000 + 7_000)).toBe('1:05:07');
    expect(formatElapsed(-5000)).toBe('0:00');
  });
});
