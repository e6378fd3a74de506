import type { Page } from 'playwright-core';
import { clockOffset, type ClockReading } from './clock-offset';

/** This process's clock, in epoch ms with sub-millisecond precision, as the page probes read theirs. */
export const nodeNow = (): number => performance.timeOrigin + performance.now();

/**
 * How far a page's clock (`performance.timeOrigin + performance.now()`) is ahead of this process's, read over the
 * DevTools connection a few dozen times (see clock-offset.ts), so a time taken here and one taken in the page can be
 * subtracted.
 */
export async function pageClockOffset(page: Page, readings = 40): Promise<{ offsetMs: number; errorMs: number }> {
  const taken: ClockReading[] = [];
  for (let i = 0; i < readings; i++) {
    const sentAt = nodeNow();
    const remoteAt = await page.evaluate(() => performance.timeOrigin + performance.now());
    taken.push({ sentAt, remoteAt, receivedAt: nodeNow() });
  }
  return clockOffset(taken);
}
