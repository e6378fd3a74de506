/**
 * The wire protocol of the central API's live WebSocket, shared by the API and the desktop's main process.
 *
 * The access token travels in `Sec-WebSocket-Protocol` (as a second offered protocol, `bearer.<token>`), never in
 * the URL, because URLs end up in proxy and server logs. The server always answers with `LIVE_PROTOCOL`, so the
 * token is never echoed back. Every frame from the server is one `LiveEvent` as JSON; the first is a snapshot.
 */
export const LIVE_PATH = '/live';
export const LIVE_PROTOCOL = 'care-desk.v1';
export const LIVE_BEARER_PREFIX = 'bearer.';

/** Close codes the server uses, so the desktop knows what to do next. */
export const liveCloseCodes = {
  /** The access token expired: reconnect now with a fresh one. */
  tokenExpired: 4001,
  /** The API is shutting down: reconnect with backoff (to another instance, behind a load balancer). */
  goingAway: 1001,
} as const;

/** The protocols a client offers for a token. */
export function liveProtocols(accessToken: string): [string, string] {
  return [LIVE_PROTOCOL, `${LIVE_BEARER_PREFIX}${accessToken}`];
}
