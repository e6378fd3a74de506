import { contractRoundtrip } from './benchmarks/contract-roundtrip';
import { coreOpen } from './benchmarks/core-open';
import type { Benchmark } from './lib/measure';

/**
 * `npm run bench`: prints one JSON object per line (`name`, `value`, `unit`, and where a baseline is measured in
 * the same run, `baseline` and `ratio`). `--only a,b` runs the named benchmarks.
 */
const benchmarks: Benchmark[] = [coreOpen, contractRoundtrip];

async function main(): Promise<void> {
  const onlyArg = process.argv.find((arg) => arg.startsWith('--only='));
  const only = onlyArg ? new Set(onlyArg.slice('--only='.length).split(',')) : null;
  const chosen = only ? benchmarks.filter((b) => only.has(b.name)) : benchmarks;
  if (only && chosen.length !== only.size) {
    throw new Error(`Unknown benchmark in --only. Known: ${benchmarks.map((b) => b.name).join(', ')}`);
  }
  for (const benchmark of chosen) {
    for (const line of await benchmark.run()) process.stdout.write(`${JSON.stringify(line)}\n`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
