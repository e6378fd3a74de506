import type { z } from 'zod';
import type { RequestHandlers } from '../../src-shared/contract/bridge';
import { desktopRequests, isRequestName } from '../../src-shared/contract/desktop-contract';
import { fail, ok, type FieldIssue, type Result } from '../../src-shared/result';
import { RefusedError } from '../core/errors';
import type { Logger } from '../core/logger';

/**
 * The one place a request from the renderer meets the core, whatever carried it (Electron IPC or the browser-mode
 * WebSocket). The transport has already checked who sent it; here the name must be in the contract and the input
 * must parse with its schema before any handler runs. Whatever happens, the answer is a `Result`.
 */
export function createDispatcher(handlers: RequestHandlers, logger: Logger) {
  const log = logger.child({ component: 'dispatch' });
  return async function dispatch(name: unknown, input: unknown): Promise<Result<unknown>> {
    if (!isRequestName(name)) {
      // A page can send any structured-clonable value as the name (a BigInt, a cyclic object): describe it by type.
      const shown = typeof name === 'string' ? JSON.stringify(name.slice(0, 100)) : `(a ${typeof name})`;
      log.warn({ request: shown }, 'unknown request refused');
      return fail('unknown-request', `There is no request called ${shown}.`);
    }
    const parsed = desktopRequests[name].input.safeParse(input ?? {});
    if (!parsed.success) {
      log.warn({ request: name }, 'invalid input refused');
      return fail('invalid-input', `The request ${name} was refused: its input is not valid.`, toFieldIssues(parsed.error));
    }
    try {
      const handler = handlers[name] as (input: unknown) => unknown;
      return ok(await handler(parsed.data));
    } catch (error) {
      if (error instanceof RefusedError) {
        log.info({ request: name, code: error.code }, 'request refused');
        return fail(error.code, error.message, error.issues);
      }
      log.error({ request: name, err: error }, 'request failed');
      return fail('internal', `Something went wrong with ${name}. It has been logged; try again.`);
    }
  };
}

export type Dispatch = ReturnType<typeof createDispatcher>;

export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.') || '(input)', message: issue.message }));
}
