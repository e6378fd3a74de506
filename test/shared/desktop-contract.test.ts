import { describe, expect, it } from 'vitest';
import { desktopEvents, desktopRequests, isRequestName } from '../../src-shared/contract/desktop-contract';
import { eventNames, requestNames } from '../../src-shared/contract/names';

describe('the desktop contract', () => {
  it('declares exactly the request and event names the preload exposes', () => {
    expect(Object.keys(desktopRequests).sort()).toEqual([...requestNames].sort());
    expect(Object.keys(desktopEvents).sort()).toEqual([...eventNames].sort());
  });

  it('does not treat inherited object keys as requests', () => {
    expect(isRequestName('toString')).toBe(false);
    expect(isRequestName('__proto__')).toBe(false);
    expect(isRequestName('app.getInfo')).toBe(true);
  });

  it('requires a reason for a break and refuses unknown states or extra fields', () => {
    const schema = desktopRequests['agent.setState'].input;
    expect(schema.safeParse({ state: 'break', reason: 'Lunch' }).success).toBe(true);
    expect(schema.safeParse({ state: 'break' }).success).toBe(false);
    expect(schema.safeParse({ state: 'break', reason: 'Nap' }).success).toBe(false);
    expect(schema.safeParse({ state: 'on-call' }).success).toBe(false);
    expect(schema.safeParse({ state: 'available', reason: 'Lunch' }).success).toBe(false);
  });
});
