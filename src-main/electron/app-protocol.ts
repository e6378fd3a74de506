import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { rendererResponseHeaders, resolveRendererAsset } from '../renderer-assets';
import { APP_HOST, APP_SCHEME } from './security-policy';

/** Must run before the app is ready: `app://` behaves like https (secure context, fetch, standard URLs). */
export function registerAppSchemePrivileges(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

/** Serves the built renderer on `app://care-desk/`, with the CSP on every response. */
export function serveRendererOverAppProtocol(rendererDir: string, csp: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST || request.method !== 'GET') return new Response('Not found', { status: 404 });
    const asset = resolveRendererAsset(rendererDir, url.pathname);
    if (!asset) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(asset.filePath);
      return new Response(body, { status: 200, headers: rendererResponseHeaders(asset.contentType, csp) });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}
