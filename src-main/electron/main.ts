import { join } from 'node:path';
import { app, BrowserWindow, Menu, session, shell } from 'electron';
import { buildContentSecurityPolicy } from '../../src-shared/security/content-security-policy';
import { createLogger } from '../core/logger';
import { startDesktopServices, type DesktopServices } from '../launch';
import { registerAppSchemePrivileges, serveRendererOverAppProtocol } from './app-protocol';
import { registerContractIpc, sendContractEvent } from './ipc';
import { APP_ENTRY_URL } from './security-policy';
import { electronFileSaver } from './file-saver';
import { safeStorageVault } from './safe-storage-vault';
import { hardenSession, hardenWebContents } from './session-hardening';
import { buildMainWindowOptions } from './window-options';

/**
 * Electron lifecycle only: it wires the plain-Node core to windows, IPC and the OS. Everything with a decision in
 * it lives in a module that tests can load without Electron.
 */
const logger = createLogger('electron');
const PRODUCT_NAME = 'Care Connect Desk';

registerAppSchemePrivileges();
app.enableSandbox();
// The desk is written in British English for a UK service: its date fields read day/month/year (a case filtered
// "from 03/04" means 3 April) whatever locale the PC was set up with. Chromium reads the switch before `ready`.
app.commandLine.appendSwitch('lang', 'en-GB');

const windows = new Set<BrowserWindow>();
let services: DesktopServices | null = null;

if (!app.requestSingleInstanceLock()) {
  // A second copy would open the same database and ring the same calls twice: hand over to the first and leave.
  app.quit();
} else {
  app.on('second-instance', () => {
    const [first] = windows;
    if (first) {
      if (first.isMinimized()) first.restore();
      first.show();
      first.focus();
    }
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, (url) => shell.openExternal(url), logger));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', () => {
    void services?.close();
    services = null;
  });
  app.on('activate', () => {
    if (windows.size === 0 && services) createMainWindow();
  });
  app.whenReady().then(start, (error: unknown) => {
    logger.fatal({ err: error }, 'Electron did not start');
    app.exit(1);
  });
}

async function start(): Promise<void> {
  // No menu bar on Windows and Linux: Alt+letter is for the handler's shortcuts, not for opening a menu. macOS keeps
  // its default menu, which is where Cmd+C and Cmd+V live.
  if (process.platform !== 'darwin') Menu.setApplicationMenu(null);
  hardenSession(session.defaultSession, logger);
  serveRendererOverAppProtocol(join(__dirname, '..', 'renderer'), buildContentSecurityPolicy());
  services = await startDesktopServices({
    dataDir: app.getPath('userData'),
    vault: safeStorageVault(app.getPath('userData')),
    fileSaver: electronFileSaver(() => BrowserWindow.getFocusedWindow() ?? [...windows][0] ?? null),
    shell: 'electron',
    appName: PRODUCT_NAME,
    appVersion: app.getVersion(),
    logger,
  });
  registerContractIpc({
    dispatch: services.dispatch,
    isKnownWebContents: (contents) => [...windows].some((window) => window.webContents === contents),
    logger,
  });
  services.core.events.subscribe((name, payload) => {
    for (const window of windows) sendContractEvent(window.webContents, name, payload);
  });
  createMainWindow();
}

function createMainWindow(): void {
  const window = new BrowserWindow(buildMainWindowOptions({ preloadPath: join(__dirname, 'preload.cjs'), title: PRODUCT_NAME }));
  windows.add(window);
  window.on('closed', () => windows.delete(window));
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_ENTRY_URL);
}
