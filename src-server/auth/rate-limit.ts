/**
 * A sliding-window limit kept in memory, per key (an address, an address and an email). Enough for one instance;
 * behind a load balancer each instance limits on its own, and account lock-out (in the store) covers the rest.
 * Every attempt counts when it comes (`hit`), so attempts sent all at once are counted in turn; where only failures
 * should count (sign-in, where a contact centre signs a whole shift in from one office address), a success is
 * taken back after it (`forgive`).
 */
export function createRateLimiter(options: { limit: number; windowMs: number; clock: { now(): number } }) {
  const attempts = new Map<string, number[]>();
  const recent = (key: string, now: number) => (attempts.get(key) ?? []).filter((at) => now - at < options.windowMs);
  /** Seconds until the oldest of the last `limit` counted attempts leaves the window. */
  const waitFor = (times: readonly number[], now: number) => Math.ceil((times[times.length - options.limit]! + options.windowMs - now) / 1000);
  function record(key: string, now: number): number[] {
    const times = recent(key, now);
    times.push(now);
    attempts.set(key, times);
    if (attempts.size > 10_000) {
      for (const [k, at] of attempts) if (at.every((time) => now - time >= options.windowMs)) attempts.delete(k);
    }
    return times;
  }
  return {
    /** Counts an attempt; returns the seconds to wait when over the limit, or 0. */
    hit(key: string): number {
      const now = options.clock.now();
      const times = record(key, now);
      return times.length > options.limit ? waitFor(times.slice(0, -1), now) : 0;
    },
    /** Takes back one attempt `key` made (it succeeded, and only failures count). */
    forgive(key: string): void {
      attempts.get(key)?.pop();
    },
  };
}
