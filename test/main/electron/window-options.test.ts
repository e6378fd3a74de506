import { buildMainWindowOptions } from '../../../src-main/electron/window-options';

const preloadPath = '/opt/care-connect-desk/resources/app.asar/dist/main/preload.cjs';

function webPreferences() {
  const options = buildMainWindowOptions({ preloadPath, title: 'Care Connect Desk' });
  if (!options.webPreferences) throw new Error('the main window has no webPreferences');
  return options.webPreferences;
}

describe('buildMainWindowOptions', () => {
  it('isolates the preload world from the page', () => {
    expect(webPreferences().contextIsolation).toBe(true);
  });

  it('lets an incoming call ring without a click in the window first (after a restart, say)', () => {
    expect(webPreferences().autoplayPolicy).toBe('no-user-gesture-required');
  });

  it('runs the renderer in the OS sandbox', () => {
    expect(webPreferences().sandbox).toBe(true);
  });

  it('gives Node to neither the page, its workers nor its sub-frames', () => {
    const prefs = webPreferences();
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps web security on and refuses insecure content on the secure app origin', () => {
    const prefs = webPreferences();
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
  });

  it('does not allow <webview> tags or experimental web platform features', () => {
    const prefs = webPreferences();
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
  });

  it('does not navigate away when a file is dropped on the window', () => {
    expect(webPreferences().navigateOnDragDrop).toBe(false);
  });

  it('keeps timers running while the window is hidden so an incoming call still rings', () => {
    expect(webPreferences().backgroundThrottling).toBe(false);
  });

  it('loads the preload it is given', () => {
    expect(webPreferences().preload).toBe(preloadPath);
    const other = buildMainWindowOptions({ preloadPath: '/elsewhere/preload.cjs', title: 'x' });
    expect(other.webPreferences?.preload).toBe('/elsewhere/preload.cjs');
  });

  it('uses the title it is given and stays hidden until the page is ready to show', () => {
    const options = buildMainWindowOptions({ preloadPath, title: 'Care Connect Desk (training)' });
    expect(options.title).toBe('Care Connect Desk (training)');
    expect(options.show).toBe(false);
  });
});
