/**
 * The decisions behind the Electron shell's security settings, as plain functions so they are tested in Node
 * without the Electron binary. `main.ts` only wires them to Electron's hooks.
 */

/** The renderer is served from this privileged custom scheme, never from `file://`. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'care-desk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * External pages a handler may need (NHS information to read to a caller, the service's own help pages).
 * They open in the system browser, never inside the app.
 */
export const EXTERNAL_LINK_ALLOWLIST: readonly string[] = [
  'https://www.nhs.uk',
  'https://111.nhs.uk',
  'https://www.cqc.org.uk',
  'https://www.ombudsman.org.uk',
  'https://github.com',
];

/** True for a URL of the app's own origin (`app://care-desk/...`). Node's URL gives custom schemes origin "null". */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}

/** True when an external link may be opened in the system browser: https, on an allowlisted origin, no credentials. */
export function isAllowedExternalUrl(url: string, allowlist: readonly string[] = EXTERNAL_LINK_ALLOWLIST): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '') return false;
  return allowlist.some((allowed) => new URL(allowed).origin === parsed.origin);
}

/** `setWindowOpenHandler`: the app never opens windows; an allowlisted https link goes to the system browser. */
export function decideWindowOpen(url: string, allowlist: readonly string[] = EXTERNAL_LINK_ALLOWLIST): { action: 'deny'; openExternally: boolean } {
  return { action: 'deny', openExternally: isAllowedExternalUrl(url, allowlist) };
}

/** `will-navigate` and `will-redirect`: the single-page renderer never navigates its window anywhere. */
export function shouldRefuseNavigation(_url: string): true {
  return true;
}

export interface PermissionQuery {
  permission: string;
  requestingUrl: string;
  /** For `media`: what is asked for. Video is never granted. */
  mediaTypes?: readonly string[];
}

/**
 * The permission handler: the app's own origin gets the microphone (for the softphone), audio output selection
 * (to pick the headset), notifications (a call ringing while the window is hidden) and writing to the clipboard (the
 * case reference's Copy button); nothing else, and nothing for any other origin. Reading the clipboard is never
 * granted.
 */
export function isPermissionGranted(query: PermissionQuery): boolean {
  if (!isAppUrl(query.requestingUrl)) return false;
  switch (query.permission) {
    case 'media': {
      const types = query.mediaTypes ?? [];
      return types.length > 0 && types.every((type) => type === 'audio');
    }
    case 'speaker-selection':
    case 'notifications':
    case 'clipboard-sanitized-write':
      return true;
    default:
      return false;
  }
}

/** The permission *check* handler (synchronous queries such as `enumerateDevices` labels). */
export function isPermissionCheckAllowed(permission: string, requestingOrigin: string, mediaType?: string): boolean {
  if (!isAppUrl(requestingOrigin)) return false;
  if (permission === 'media') return mediaType === undefined || mediaType === 'audio' || mediaType === 'unknown';
  return permission === 'speaker-selection' || permission === 'notifications' || permission === 'clipboard-sanitized-write';
}

export interface SenderFacts {
  /** URL of the frame that sent the message; null when the frame has gone. */
  frameUrl: string | null;
  isMainFrame: boolean;
  /** The sender belongs to a window this app created. */
  isKnownWindow: boolean;
}

/** Why a message must be refused, or null when it comes from the app's own main frame in one of its windows. */
export function senderRefusal(sender: SenderFacts): string | null {
  if (sender.frameUrl === null) return 'the sending frame no longer exists';
  if (!sender.isKnownWindow) return 'the sender is not a window of this app';
  if (!sender.isMainFrame) return 'the sender is a sub-frame';
  if (!isAppUrl(sender.frameUrl)) return 'the sender is not the app origin';
  return null;
}
