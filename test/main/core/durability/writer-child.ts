// The writer the kill-restart test runs and kills: the real desktop core on the data folder in argv[2], writing
// cases, field changes and notes until it is killed. Each write is reported on stdout only after the repository
// call has returned, that is after COMMIT with synchronous=FULL, so every reported line is a promise the database
// must keep. Usage: node writer-child.cjs <dataDir> <seed> <runTag>
import { writeSync } from 'node:fs';
import { systemClock } from '../../../../src-main/core/clock';
import { createDesktopCore } from '../../../../src-main/core/desktop-core';
import { createLogger } from '../../../../src-main/core/logger';
import { runWorkload, seededRandom, type Report } from './workload';

const [dataDir, seed, runTag] = process.argv.slice(2);
if (!dataDir || !seed || !runTag) throw new Error('usage: writer-child <dataDir> <seed> <runTag>');

// writeSync: the whole line is in the pipe before the next write starts, so the test never misses a commit that
// was made and reported. A kill mid-line leaves a fragment without its newline, which the test ignores.
const report = (line: Report): void => {
  writeSync(1, `${JSON.stringify(line)}\n`);
};

const core = createDesktopCore({
  dataDir,
  centralApiUrl: 'http://127.0.0.1:9',
  centralApiEmbedded: false,
  fetch: globalThis.fetch,
  clock: systemClock,
  logger: createLogger('durability-writer', { level: 'silent' }),
  appName: 'Care Connect Desk',
  appVersion: '0.0.0-durability',
  shell: 'browser',
  platform: process.platform,
  seedDemoData: true,
});
report({ op: 'ready' });
runWorkload(core, seededRandom(Number(seed)), report, runTag, { between: () => new Promise((resolve) => setTimeout(resolve, 0)) }).catch(
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
