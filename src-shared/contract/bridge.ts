import type { Result } from '../result';
import type { EventName, EventPayload, ParsedRequestInput, RequestInput, RequestName, RequestOutput } from './desktop-contract';

/**
 * What the preload exposes as `window.careDesk`: one named function per request and one subscribe function per
 * event. There is no generic `invoke(channel)`, so the page can only ask for what the contract declares.
 */
export interface CareDeskBridge {
  requests: { [N in RequestName]: (input: RequestInput<N>) => Promise<Result<RequestOutput<N>>> };
  events: { [N in EventName]: (listener: (payload: EventPayload<N>) => void) => () => void };
}

export type RequestHandlers = {
  [N in RequestName]: (input: ParsedRequestInput<N>) => Promise<RequestOutput<N>> | RequestOutput<N>;
};
