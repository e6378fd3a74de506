// The same seeded generator as the simulator's, so the seeded database is the same on every machine and every run.
export { pick, randomIndex, seededRandom } from '../../src-shared/random';

/**
 * Draws from a fixed discrete distribution in constant time (Vose's alias method): seeding draws tens of millions
 * of words, so a binary search per word would show.
 */
export function aliasSampler(weights: readonly number[]): (random: () => number) => number {
  const n = weights.length;
  const total = weights.reduce((sum, w) => sum + w, 0);
  const probability = new Float64Array(n);
  const alias = new Int32Array(n);
  const scaled = weights.map((w) => (w * n) / total);
  const small: number[] = [];
  const large: number[] = [];
  scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
  while (small.length && large.length) {
    const s = small.pop()!;
    const l = large.pop()!;
    probability[s] = scaled[s]!;
    alias[s] = l;
    scaled[l] = scaled[l]! + scaled[s]! - 1;
    (scaled[l]! < 1 ? small : large).push(l);
  }
  for (const i of [...small, ...large]) probability[i] = 1;
  return (random) => {
    const x = random() * n;
    const i = Math.floor(x);
    return x - i < probability[i]! ? i : alias[i]!;
  };
}
