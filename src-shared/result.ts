/**
 * Expected failures cross every boundary (IPC, WebSocket, HTTP) as values, never as thrown errors,
 * so the renderer always learns *why* something failed.
 */
export type ErrorCode =
  | 'invalid-input'
  | 'unknown-request'
  | 'not-found'
  | 'forbidden'
  | 'malformed-message'
  | 'unavailable'
  | 'internal';

/** One problem with one field of an input, in words a handler can act on. */
export interface FieldIssue {
  path: string;
  message: string;
}

export interface ContractError {
  code: ErrorCode;
  message: string;
  issues?: FieldIssue[];
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ContractError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, message: string, issues?: FieldIssue[]): { ok: false; error: ContractError } {
  return issues ? { ok: false, error: { code, message, issues } } : { ok: false, error: { code, message } };
}

/** Throws with a clear message when an invariant does not hold. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`Assertion failed: ${message}`);
}

/** For exhaustive switches: the compiler proves this is never reached. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
