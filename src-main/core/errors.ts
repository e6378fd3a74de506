import type { ErrorCode, FieldIssue } from '../../src-shared/result';

/**
 * An expected refusal (bad input, a transition the rules do not allow, a case that does not exist). The dispatcher
 * turns it into `{ ok: false, error }` with the message and field issues intact; nothing was written.
 */
export class RefusedError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: FieldIssue[],
  ) {
    super(message);
    this.name = 'RefusedError';
  }
}

export function invalidField(field: string, message: string): RefusedError {
  return new RefusedError('invalid-input', message, [{ path: field, message }]);
}
