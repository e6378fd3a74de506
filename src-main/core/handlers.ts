import type { RequestHandlers } from '../../src-shared/contract/bridge';
import type { DesktopCore } from './desktop-core';

/** Maps each contract request to the core. The type makes a missing or extra request a compile error. */
export function createRequestHandlers(core: DesktopCore): RequestHandlers {
  return {
    'app.getInfo': () => core.getAppInfo(),
    'central.getHealth': () => core.getCentralHealth(),
    'central.checkHealth': () => core.checkCentralHealth(),
    'agent.getState': () => core.getAgentState(),
    'agent.setState': (input) => core.setAgentState(input),
  };
}
