import { vi, type Mock } from 'vitest';
import type { RequestHandlers } from '../../src-shared/contract/bridge';
import { requestNames, type RequestName } from '../../src-shared/contract/names';

export type HandlerSpies = { [N in RequestName]: Mock<RequestHandlers[N]> };

/** A spy for every request in the contract; `overrides` give some of them behaviour. */
export function handlerSpies(overrides: Partial<RequestHandlers> = {}): HandlerSpies {
  return Object.fromEntries(
    requestNames.map((name) => [name, vi.fn((overrides[name] as ((input: never) => unknown) | undefined) ?? (() => undefined))]),
  ) as unknown as HandlerSpies;
}
