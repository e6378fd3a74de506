import type { Event, HandlerDetails, Session, WebContents } from 'electron';
import type { Logger } from '../core/logger';
import { decideWindowOpen, isPermissionCheckAllowed, isPermissionGranted, shouldRefuseNavigation } from './security-policy';

/**
 * Electron hooks built from the decisions in `security-policy.ts`. Each is a plain function of Electron's
 * arguments so tests can call it with thin fakes.
 */

export function createWindowOpenHandler(openExternal: (url: string) => Promise<void>, logger: Logger) {
  return (details: Pick<HandlerDetails, 'url'>): { action: 'deny' } => {
    const decision = decideWindowOpen(details.url);
    if (decision.openExternally) {
      openExternal(details.url).catch((error: unknown) => logger.warn({ err: error }, 'could not open external link'));
    } else {
      logger.warn('window.open refused for a URL outside the allowlist');
    }
    return { action: 'deny' };
  };
}

export function createNavigationGuard(logger: Logger) {
  return (event: Pick<Event, 'preventDefault'>, url: string): void => {
    if (shouldRefuseNavigation(url)) {
      event.preventDefault();
      logger.warn('navigation refused');
    }
  };
}

export function createPermissionRequestHandler(logger: Logger) {
  return (
    _contents: WebContents | null,
    permission: string,
    callback: (granted: boolean) => void,
    details: { requestingUrl: string; mediaTypes?: readonly string[] },
  ): void => {
    const granted = isPermissionGranted({
      permission,
      requestingUrl: details.requestingUrl,
      ...(details.mediaTypes ? { mediaTypes: details.mediaTypes } : {}),
    });
    if (!granted) logger.warn({ permission }, 'permission refused');
    callback(granted);
  };
}

export function createPermissionCheckHandler() {
  return (_contents: WebContents | null, permission: string, requestingOrigin: string, details: { mediaType?: string }): boolean =>
    isPermissionCheckAllowed(permission, requestingOrigin, details.mediaType);
}

/** Applies the permission handlers to a session. */
export function hardenSession(session: Session, logger: Logger): void {
  session.setPermissionRequestHandler(createPermissionRequestHandler(logger));
  session.setPermissionCheckHandler(createPermissionCheckHandler());
}

/** Applies navigation and window-opening rules to every web contents the app creates. */
export function hardenWebContents(contents: WebContents, openExternal: (url: string) => Promise<void>, logger: Logger): void {
  const guard = createNavigationGuard(logger);
  contents.on('will-navigate', guard);
  // Sub-frames fire this instead of will-navigate; the CSP allows no frames today, this keeps it so if that changes.
  contents.on('will-frame-navigate', (event) => guard(event, event.url));
  contents.on('will-redirect', guard);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(createWindowOpenHandler(openExternal, logger));
}
