import type { PullRequest, PullResponse, PushRequest, PushResponse } from '../../../src-shared/sync/protocol';

/** The central API could not be reached (network down, timeout, 5xx): try again later with backoff. */
export class SyncUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SyncUnavailableError';
  }
}

/** The session has ended (401 after a refresh attempt): the handler must sign in again; nothing is lost. */
export class SyncAuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SyncAuthError';
  }
}

/**
 * The server refused the request itself (400, 403, 409 gap, 413): retrying the same request will not help.
 * `mutationId`: for a push, the first of its mutations the server named as the one it refused, when it named one.
 */
export class SyncRefusedError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly detail: unknown = null,
    readonly mutationId: number | null = null,
  ) {
    super(message);
    this.name = 'SyncRefusedError';
  }
}

/** How the sync engine talks to the central API. The session supplies the real one; tests may wrap it with faults. */
export interface SyncTransport {
  push(request: PushRequest): Promise<PushResponse>;
  pull(request: PullRequest): Promise<PullResponse>;
}
