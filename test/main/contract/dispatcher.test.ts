import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../src-main/contract/dispatcher';
import type { RequestHandlers } from '../../../src-shared/contract/bridge';
import { capturingLogger } from '../../helpers';
import { handlerSpies } from '../handler-spies';

const agent = { state: 'available' as const, reason: null, since: '2026-11-21T09:00:00.000Z' };

function spyHandlers() {
  return handlerSpies({ 'agent.getState': () => agent, 'agent.setState': () => agent });
}

describe('the request dispatcher', () => {
  it('passes a valid request to its handler and returns the value', async () => {
    const handlers = spyHandlers();
    const dispatch = createDispatcher(handlers as unknown as RequestHandlers, capturingLogger().logger);
    expect(await dispatch('agent.setState', { state: 'available' })).toEqual({ ok: true, value: agent });
    expect(handlers['agent.setState']).toHaveBeenCalledWith({ state: 'available' });
  });

  it('refuses a malformed payload with the field at fault, and never calls the handler', async () => {
    const handlers = spyHandlers();
    const dispatch = createDispatcher(handlers as unknown as RequestHandlers, capturingLogger().logger);
    const result = await dispatch('agent.setState', { state: 'break', reason: 'Nap' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid-input');
    expect(result.error.issues?.map((issue) => issue.path)).toContain('reason');
    expect(handlers['agent.setState']).not.toHaveBeenCalled();
  });

  it('refuses an unknown request by name, and never calls any handler', async () => {
    const handlers = spyHandlers();
    const dispatch = createDispatcher(handlers as unknown as RequestHandlers, capturingLogger().logger);
    expect(await dispatch('cases.deleteAll', {})).toEqual({
      ok: false,
      error: { code: 'unknown-request', message: 'There is no request called "cases.deleteAll".' },
    });
    expect(await dispatch('constructor', {})).toMatchObject({ ok: false, error: { code: 'unknown-request' } });
    for (const handler of Object.values(handlers)) expect(handler).not.toHaveBeenCalled();
  });

  it('turns a handler failure into an internal error without leaking its message to the page', async () => {
    const handlers = spyHandlers();
    handlers['agent.getState'].mockImplementation(() => {
      throw new Error('SQLITE_CORRUPT: /home/sam/.config/secret.db');
    });
    const log = capturingLogger();
    const result = await createDispatcher(handlers as unknown as RequestHandlers, log.logger)('agent.getState', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(result)).not.toContain('SQLITE_CORRUPT');
    expect(log.text()).toContain('SQLITE_CORRUPT');
  });
});

describe('the request dispatcher, given names a page should never send', () => {
  it('answers with a Result even for a BigInt or a cyclic object as the name', async () => {
    const dispatch = createDispatcher(spyHandlers() as unknown as RequestHandlers, capturingLogger().logger);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(await dispatch(10n, {})).toEqual({ ok: false, error: { code: 'unknown-request', message: 'There is no request called (a bigint).' } });
    expect(await dispatch(cyclic, {})).toMatchObject({ ok: false, error: { code: 'unknown-request' } });
  });
});
