import { extname, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.ogg': 'audio/ogg',
};

/**
 * Maps a request path to a file of the built renderer, for both the `app://` protocol and browser mode.
 * Paths that escape the folder are refused; a path with no extension is a screen of the single-page app and gets
 * `index.html`.
 */
export function resolveRendererAsset(rootDir: string, pathname: string): { filePath: string; contentType: string } | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relative = decoded === '/' || extname(decoded) === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const root = resolve(rootDir);
  const filePath = resolve(root, relative);
  if (filePath !== root && !filePath.startsWith(root + sep)) return null;
  const contentType = CONTENT_TYPES[extname(filePath).toLowerCase()];
  if (!contentType) return null;
  return { filePath, contentType };
}

/** Headers every renderer response carries, in Electron and in browser mode. */
export function rendererResponseHeaders(contentType: string, csp: string): Record<string, string> {
  return {
    'content-type': contentType,
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cache-control': 'no-cache',
  };
}
