import { homedir } from 'node:os';
import { join } from 'node:path';
import { APP_VERSION } from '../../src-server/app-version';
import { createLogger } from '../core/logger';
import { startDesktopServices } from '../launch';
import { startBrowserModeServer } from './browser-mode-server';

/**
 * `npm run start:browser`: the same core and renderer as the desktop, in a browser, for development and for
 * end-to-end tests where the Electron binary cannot be downloaded. Never part of the packaged app.
 */
async function main(): Promise<void> {
  const logger = createLogger('browser-mode');
  const dataDir = process.env.CARE_DESK_DATA_DIR ?? join(homedir(), '.care-connect-desk', 'browser-mode');
  const port = process.env.PORT ? Number(process.env.PORT) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not ${process.env.PORT}`);

  const services = await startDesktopServices({
    dataDir,
    shell: 'browser',
    appName: 'Care Connect Desk',
    appVersion: APP_VERSION,
    logger,
  });
  const server = await startBrowserModeServer({
    rendererDir: join(__dirname, '..', 'renderer'),
    dispatch: services.dispatch,
    events: services.core.events,
    logger,
    port,
  });
  // The one line a developer (or a test) needs: where to point the browser. The secret is per run.
  process.stdout.write(`Care Connect Desk (browser mode) is ready at ${server.url}\n`);

  const stop = () => {
    void server.close().then(() => services.close()).finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
