// Builds everything the app runs: the renderer with Vite, and the Node/Electron entry points with esbuild.
// `--node-only` skips the renderer (for `npm run server`).
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { readFile, rm } from 'node:fs/promises';

const nodeOnly = process.argv.includes('--node-only');
const { version } = JSON.parse(await readFile('package.json', 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  define: { __APP_VERSION__: JSON.stringify(version) },
};

// A full build starts clean; `--node-only` leaves the built renderer where it is.
if (!nodeOnly) await rm('dist', { recursive: true, force: true });

const nodeBuilds = [
  // Electron main: dependencies stay in node_modules (electron-builder packs the production ones).
  { entryPoints: ['src-main/electron/main.ts'], outfile: 'dist/main/main.cjs', packages: 'external', external: ['electron'] },
  // The sandboxed preload can require only `electron`: everything else is bundled in.
  { entryPoints: ['src-main/electron/preload.ts'], outfile: 'dist/main/preload.cjs', external: ['electron'], sourcemap: false },
  { entryPoints: ['src-main/browser-mode/start.ts'], outfile: 'dist/browser-mode/start.cjs', packages: 'external' },
  { entryPoints: ['src-server/main.ts'], outfile: 'dist/server/main.cjs', packages: 'external' },
  { entryPoints: ['src-server/create-admin.ts'], outfile: 'dist/server/create-admin.cjs', packages: 'external' },
  { entryPoints: ['bench/run.ts'], outfile: 'dist/bench/run.cjs', packages: 'external' },
];

await Promise.all(nodeBuilds.map((options) => esbuild({ ...common, ...options })));
if (!nodeOnly) await viteBuild({ configFile: 'vite.config.ts', logLevel: 'warn' });
