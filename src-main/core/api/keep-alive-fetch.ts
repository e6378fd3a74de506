import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** Connections kept open to one origin: sync, the live link's requests and the handler's own calls at once. */
const MAX_SOCKETS = 8;
/** Statuses whose answer has no body (a `Response` refuses one). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

export interface KeepAliveFetch {
  (input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** Closes the kept connections (when the app quits, or a test ends). */
  close(): void;
}

function headerList(headers: RequestInit['headers']): Record<string, string> {
  if (!headers) return {};
  if (headers instanceof Headers || Array.isArray(headers)) return Object.fromEntries(headers as Iterable<[string, string]>);
  return { ...(headers as Record<string, string>) };
}

function answerHeaders(res: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return headers;
}

/** What `fetch` rejects with when the network fails: a TypeError, its cause the socket's error. */
function networkError(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

/**
 * The desk's HTTP client for the central API: the `fetch` its services take, over Node's own HTTP with keep-alive
 * connections. Node's built-in `fetch` builds web streams for every request and answer, which cost about half a
 * millisecond a request on loopback, a quarter of a sync round trip; this reads each answer whole (the API's answers
 * are JSON or a CSV) and hands it over as a standard `Response`. Bodies are strings (the desk sends JSON); `signal`
 * aborts as `fetch` does (a timeout rejects with the signal's `TimeoutError`); a network failure rejects with a
 * TypeError. A request on a kept connection that the server had just closed (the keep-alive race) is sent again
 * once on a new connection, as Node's documentation advises.
 */
export function createKeepAliveFetch(): KeepAliveFetch {
  const http = new HttpAgent({ keepAlive: true, maxSockets: MAX_SOCKETS });
  const https = new HttpsAgent({ keepAlive: true, maxSockets: MAX_SOCKETS });

  function send(url: URL, init: RequestInit, firstTry: boolean): Promise<Response> {
    const signal = init.signal ?? null;
    return new Promise<Response>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const body = init.body === undefined || init.body === null ? null : init.body;
      if (body !== null && typeof body !== 'string') {
        reject(new TypeError('This client sends text bodies only.'));
        return;
      }
      const headers = headerList(init.headers);
      if (body !== null) headers['content-length'] = String(Buffer.byteLength(body));
      const secure = url.protocol === 'https:';
      let answered = false;
      let settled = false;
      const finish = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        outcome();
      };
      const request: ClientRequest = (secure ? httpsRequest : httpRequest)(
        url,
        { method: init.method ?? 'GET', headers, agent: secure ? https : http },
        (res) => {
          answered = true;
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', (error) => finish(() => reject(networkError(error))));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            finish(() =>
              resolve(
                new Response(NULL_BODY_STATUSES.has(status) ? null : Buffer.concat(chunks), {
                  status,
                  statusText: res.statusMessage ?? '',
                  headers: answerHeaders(res),
                }),
              ),
            );
          });
        },
      );
      function onAbort(): void {
        request.destroy();
        finish(() => reject(signal!.reason));
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      request.on('error', (error: NodeJS.ErrnoException) => {
        if (settled) return;
        if (firstTry && !answered && request.reusedSocket && error.code === 'ECONNRESET') {
          finish(() => resolve(send(url, init, false)));
          return;
        }
        finish(() => reject(networkError(error)));
      });
      request.end(body ?? undefined);
    });
  }

  const keepAliveFetch = ((input: string | URL | Request, init: RequestInit = {}) => {
    if (typeof input !== 'string' && !(input instanceof URL)) return Promise.reject(new TypeError('This client takes a URL, not a Request.'));
    return send(new URL(input), init, true);
  }) as KeepAliveFetch;
  keepAliveFetch.close = () => {
    http.destroy();
    https.destroy();
  };
  return keepAliveFetch;
}
