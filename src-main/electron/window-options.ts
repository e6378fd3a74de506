import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The main window's options, after Electron's security checklist: isolated, sandboxed, no Node in the page, web
 * security on. `backgroundThrottling` is off so an incoming call still rings while the window is hidden.
 */
export function buildMainWindowOptions(options: { preloadPath: string; title: string }): BrowserWindowConstructorOptions {
  return {
    title: options.title,
    width: 1400,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    backgroundColor: '#f4f6f8',
    autoHideMenuBar: true,
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: true,
      backgroundThrottling: false,
      // A call must ring even when the handler has not clicked in the window since it loaded (after a restart).
      autoplayPolicy: 'no-user-gesture-required',
      safeDialogs: true,
    },
  };
}
