import type { FileSaver } from './core/files/file-saver';
import { simulatorSettingsFromEnv, startEmbeddedApi } from '../src-server/embedded';
import type { AppInfo } from '../src-shared/contract/desktop-contract';
import { createDispatcher, type Dispatch } from './contract/dispatcher';
import { systemClock } from './core/clock';
import { createDesktopCore, type DesktopCore } from './core/desktop-core';
import { createKeepAliveFetch } from './core/api/keep-alive-fetch';
import { createRequestHandlers } from './core/handlers';
import type { Logger } from './core/logger';
import type { CredentialVault } from './core/session/credential-vault';

export interface DesktopServices {
  core: DesktopCore;
  dispatch: Dispatch;
  close(): Promise<void>;
}

/**
 * Starts what both shells need: the central API (embedded on a loopback port unless `CARE_DESK_API_URL` points
 * at a real one), the desktop core and the request dispatcher.
 */
export async function startDesktopServices(options: {
  dataDir: string;
  shell: AppInfo['shell'];
  appName: string;
  appVersion: string;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  /** Where the sign-in is kept (Electron: encrypted by the OS); memory only by default. */
  vault?: CredentialVault;
  /** The system's save dialog (Electron). */
  fileSaver?: FileSaver;
}): Promise<DesktopServices> {
  const env = options.env ?? process.env;
  const externalUrl = env.CARE_DESK_API_URL?.trim();
  const embedded = externalUrl
    ? null
    : await startEmbeddedApi({ dataDir: options.dataDir, version: options.appVersion, logger: options.logger, simulator: simulatorSettingsFromEnv(env) });
  const centralApiUrl = externalUrl || embedded!.url;

  // One HTTP client with kept connections for every call the desk makes to the central API.
  const fetch = createKeepAliveFetch();
  let core: DesktopCore;
  try {
    core = createDesktopCore({
      dataDir: options.dataDir,
      centralApiUrl,
      centralApiEmbedded: embedded !== null,
      fetch,
      clock: systemClock,
      logger: options.logger,
      appName: options.appName,
      appVersion: options.appVersion,
      shell: options.shell,
      platform: process.platform,
      ...(options.vault ? { vault: options.vault } : {}),
      ...(options.fileSaver ? { fileSaver: options.fileSaver } : {}),
    });
  } catch (error) {
    fetch.close();
    await embedded?.close();
    throw error;
  }
  const dispatch = createDispatcher(createRequestHandlers(core), options.logger);
  core.start();

  return {
    core,
    dispatch,
    async close() {
      core.close();
      fetch.close();
      await embedded?.close();
    },
  };
}
