import type { Session, WebContents } from 'electron';
import { APP_ENTRY_URL, APP_ORIGIN } from '../../../src-main/electron/security-policy';
import {
  createNavigationGuard,
  createPermissionCheckHandler,
  createPermissionRequestHandler,
  createWindowOpenHandler,
  hardenSession,
  hardenWebContents,
} from '../../../src-main/electron/session-hardening';
import { createLogger } from '../../../src-main/core/logger';

interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A real pino logger whose lines land in an array. */
function capturingLogger() {
  const lines: LogLine[] = [];
  const logger = createLogger('test', { level: 'debug', destination: { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) } });
  return { logger, lines };
}

const PINO_WARN = 40;

function fakeEvent() {
  return { preventDefault: vi.fn<() => void>() };
}

type Listener = (event: ReturnType<typeof fakeEvent>, ...args: unknown[]) => void;

/** The parts of WebContents that hardening touches, recording what it registers. */
function fakeWebContents() {
  const listeners = new Map<string, Listener[]>();
  let windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  const contents = {
    on(channel: string, listener: Listener) {
      listeners.set(channel, [...(listeners.get(channel) ?? []), listener]);
      return contents;
    },
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      windowOpenHandler = handler;
    },
  };
  return {
    contents: contents as unknown as WebContents,
    listenersFor: (channel: string) => listeners.get(channel) ?? [],
    windowOpenHandler: () => windowOpenHandler,
  };
}

describe('createWindowOpenHandler', () => {
  it('denies the window and opens an allowlisted https link in the system browser', () => {
    const { logger } = capturingLogger();
    const openExternal = vi.fn<(url: string) => Promise<void>>().mockResolvedValue(undefined);
    const handler = createWindowOpenHandler(openExternal, logger);

    expect(handler({ url: 'https://www.nhs.uk/conditions/asthma/' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledExactlyOnceWith('https://www.nhs.uk/conditions/asthma/');
  });

  it.each([
    'http://www.nhs.uk/',
    'https://www.nhs.uk.evil.com/',
    'https://user:pw@www.nhs.uk/',
    'javascript:alert(1)',
    'file:///etc/passwd',
    APP_ENTRY_URL,
    'https://evil.example/',
  ])('denies %s without opening anything and logs the refusal', (url) => {
    const { logger, lines } = capturingLogger();
    const openExternal = vi.fn<(url: string) => Promise<void>>().mockResolvedValue(undefined);
    const handler = createWindowOpenHandler(openExternal, logger);

    expect(handler({ url })).toEqual({ action: 'deny' });
    expect(openExternal).not.toHaveBeenCalled();
    expect(lines).toHaveLength(1);
    expect(lines[0]?.level).toBe(PINO_WARN);
    expect(JSON.stringify(lines[0])).not.toContain(url);
  });

  it('logs, rather than leaving unhandled, a system browser that fails to open', async () => {
    const { logger, lines } = capturingLogger();
    const openExternal = vi.fn<(url: string) => Promise<void>>().mockRejectedValue(new Error('no browser installed'));
    const handler = createWindowOpenHandler(openExternal, logger);

    expect(handler({ url: 'https://111.nhs.uk/' })).toEqual({ action: 'deny' });
    await vi.waitFor(() => expect(lines).toHaveLength(1));
    expect(lines[0]).toMatchObject({ level: PINO_WARN, msg: 'could not open external link' });
  });
});

describe('createNavigationGuard', () => {
  it.each([APP_ENTRY_URL, 'https://www.nhs.uk/', 'https://evil.example/'])('stops the window navigating to %s', (url) => {
    const { logger, lines } = capturingLogger();
    const event = fakeEvent();

    createNavigationGuard(logger)(event, url);

    expect(event.preventDefault).toHaveBeenCalledOnce();
    expect(lines.map((line) => line.level)).toEqual([PINO_WARN]);
  });
});

describe('createPermissionRequestHandler', () => {
  function ask(permission: string, details: { requestingUrl: string; mediaTypes?: readonly string[] }) {
    const { logger, lines } = capturingLogger();
    const callback = vi.fn<(granted: boolean) => void>();
    createPermissionRequestHandler(logger)(null, permission, callback, details);
    return { callback, lines };
  }

  it('grants the microphone to the app origin', () => {
    const { callback, lines } = ask('media', { requestingUrl: APP_ENTRY_URL, mediaTypes: ['audio'] });
    expect(callback).toHaveBeenCalledExactlyOnceWith(true);
    expect(lines).toEqual([]);
  });

  it('refuses the camera to the app origin and logs the refused permission', () => {
    const { callback, lines } = ask('media', { requestingUrl: APP_ENTRY_URL, mediaTypes: ['audio', 'video'] });
    expect(callback).toHaveBeenCalledExactlyOnceWith(false);
    expect(lines).toEqual([expect.objectContaining({ level: PINO_WARN, permission: 'media', msg: 'permission refused' })]);
  });

  it('refuses media when Electron does not say which media is wanted', () => {
    const { callback } = ask('media', { requestingUrl: APP_ENTRY_URL });
    expect(callback).toHaveBeenCalledExactlyOnceWith(false);
  });

  it('refuses the microphone to any other origin', () => {
    const { callback } = ask('media', { requestingUrl: 'https://evil.example/', mediaTypes: ['audio'] });
    expect(callback).toHaveBeenCalledExactlyOnceWith(false);
  });

  it('grants notifications to the app origin, so a ringing call can be announced while the window is hidden', () => {
    const { callback } = ask('notifications', { requestingUrl: APP_ENTRY_URL });
    expect(callback).toHaveBeenCalledExactlyOnceWith(true);
  });

  it.each(['geolocation', 'clipboard-read'])('refuses %s to the app origin', (permission) => {
    const { callback } = ask(permission, { requestingUrl: APP_ENTRY_URL });
    expect(callback).toHaveBeenCalledExactlyOnceWith(false);
  });
});

describe('createPermissionCheckHandler', () => {
  const check = createPermissionCheckHandler();

  it('allows the app origin to check audio media and speaker selection', () => {
    expect(check(null, 'media', APP_ORIGIN, { mediaType: 'audio' })).toBe(true);
    expect(check(null, 'speaker-selection', APP_ORIGIN, {})).toBe(true);
  });

  it('refuses video, other permissions and other origins', () => {
    expect(check(null, 'media', APP_ORIGIN, { mediaType: 'video' })).toBe(false);
    expect(check(null, 'geolocation', APP_ORIGIN, {})).toBe(false);
    expect(check(null, 'media', 'https://evil.example', { mediaType: 'audio' })).toBe(false);
  });
});

describe('hardenWebContents', () => {
  it.each(['will-navigate', 'will-redirect'])('registers a %s handler that stops the navigation', (channel) => {
    const { logger } = capturingLogger();
    const fake = fakeWebContents();

    hardenWebContents(fake.contents, vi.fn<(url: string) => Promise<void>>(), logger);

    const listeners = fake.listenersFor(channel);
    expect(listeners).toHaveLength(1);
    const event = fakeEvent();
    listeners[0]?.(event, 'https://evil.example/');
    expect(event.preventDefault).toHaveBeenCalledOnce();
  });

  it('registers a will-frame-navigate handler that stops navigation in any frame', () => {
    const { logger } = capturingLogger();
    const fake = fakeWebContents();

    hardenWebContents(fake.contents, vi.fn<(url: string) => Promise<void>>(), logger);

    const listeners = fake.listenersFor('will-frame-navigate');
    expect(listeners).toHaveLength(1);
    const event = Object.assign(fakeEvent(), { url: 'https://evil.example/', isMainFrame: false });
    listeners[0]?.(event);
    expect(event.preventDefault).toHaveBeenCalledOnce();
  });

  it('registers a will-attach-webview handler that refuses every webview', () => {
    const { logger } = capturingLogger();
    const fake = fakeWebContents();

    hardenWebContents(fake.contents, vi.fn<(url: string) => Promise<void>>(), logger);

    const listeners = fake.listenersFor('will-attach-webview');
    expect(listeners).toHaveLength(1);
    const event = fakeEvent();
    listeners[0]?.(event, { src: APP_ENTRY_URL }, { src: APP_ENTRY_URL });
    expect(event.preventDefault).toHaveBeenCalledOnce();
  });

  it('sets a window open handler that denies windows and hands allowlisted links to the system browser', () => {
    const { logger } = capturingLogger();
    const fake = fakeWebContents();
    const openExternal = vi.fn<(url: string) => Promise<void>>().mockResolvedValue(undefined);

    hardenWebContents(fake.contents, openExternal, logger);

    const handler = fake.windowOpenHandler();
    expect(handler).not.toBeNull();
    expect(handler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(openExternal).not.toHaveBeenCalled();
    expect(handler?.({ url: 'https://www.cqc.org.uk/' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledExactlyOnceWith('https://www.cqc.org.uk/');
  });
});

describe('hardenSession', () => {
  it('sets a permission request handler and a permission check handler that follow the policy', () => {
    const { logger } = capturingLogger();
    const setPermissionRequestHandler = vi.fn<(handler: ReturnType<typeof createPermissionRequestHandler>) => void>();
    const setPermissionCheckHandler = vi.fn<(handler: ReturnType<typeof createPermissionCheckHandler>) => void>();
    const session = { setPermissionRequestHandler, setPermissionCheckHandler } as unknown as Session;

    hardenSession(session, logger);

    expect(setPermissionRequestHandler).toHaveBeenCalledOnce();
    expect(setPermissionCheckHandler).toHaveBeenCalledOnce();

    const requestHandler = setPermissionRequestHandler.mock.calls[0]![0];
    const granted = vi.fn<(granted: boolean) => void>();
    requestHandler(null, 'media', granted, { requestingUrl: APP_ENTRY_URL, mediaTypes: ['audio'] });
    expect(granted).toHaveBeenCalledWith(true);
    const refused = vi.fn<(granted: boolean) => void>();
    requestHandler(null, 'geolocation', refused, { requestingUrl: APP_ENTRY_URL });
    expect(refused).toHaveBeenCalledWith(false);

    const checkHandler = setPermissionCheckHandler.mock.calls[0]![0];
    expect(checkHandler(null, 'media', APP_ORIGIN, { mediaType: 'audio' })).toBe(true);
    expect(checkHandler(null, 'media', 'https://evil.example', { mediaType: 'audio' })).toBe(false);
  });
});
