/**
 * A sliding-window limit kept in memory, per key (an address, an address and an email). Enough for one instance;
 * behind a load balancer each instance limits on its own, and account lock-out (in the store) covers the rest.
 */
export function createRateLimiter(options: { limit: number; windowMs: number; clock: { now(): number } }) {
  const hits = new Map<string, number[]>();
  return {
    /** Records an attempt; returns the seconds to wait when over the limit, or 0. */
    hit(key: string): number {
      const now = options.clock.now();
      const recent = (hits.get(key) ?? []).filter((at) => now - at < options.windowMs);
      recent.push(now);
      hits.set(key, recent);
      if (hits.size > 10_000) {
        for (const [k, times] of hits) if (times.every((at) => now - at >= options.windowMs)) hits.delete(k);
      }
      return recent.length > options.limit ? Math.ceil((recent[0]! + options.windowMs - now) / 1000) : 0;
    },
  };
}
