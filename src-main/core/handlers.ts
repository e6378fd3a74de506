import type { RequestHandlers } from '../../src-shared/contract/bridge';
import type { CaseFieldName } from '../../src-shared/domain/case-record';
import type { CaseStatus } from '../../src-shared/domain/statuses';
import type { DesktopCore } from './desktop-core';

/** Maps each contract request to the core. The type makes a missing or extra request a compile error. */
export function createRequestHandlers(core: DesktopCore): RequestHandlers {
  return {
    'app.getInfo': () => core.getAppInfo(),
    'central.getHealth': () => core.getCentralHealth(),
    'central.checkHealth': () => core.checkCentralHealth(),
    'agent.getState': () => core.getAgentState(),
    'agent.setState': (input) => core.setAgentState(input),
    'reference.get': () => core.referenceData.get(),
    'providers.search': (input) => core.referenceData.searchProviders(input.query, input.limit),
    'cases.create': (input) => core.cases.create(input),
    'cases.updateField': (input) => core.cases.updateField(input.caseId, input.field as CaseFieldName, input.value),
    'cases.addNote': (input) => core.cases.appendNote(input.caseId, input.text),
    'cases.changeStatus': (input) => core.cases.changeStatus(input.caseId, input.status as CaseStatus),
    'cases.get': (input) => core.cases.get(input.caseId),
    'cases.list': (input) => core.cases.list(input),
    'cases.search': (input) => core.search.search(input.query, input.limit),
    'callers.lookup': (input) => core.callers.lookup(input.phone),
    'callers.save': (input) => core.callers.save(input),
    'session.get': () => core.session.state(),
    'session.signIn': (input) => core.signIn(input.email, input.password),
    'session.signOut': () => core.session.signOut(),
    'sync.getState': () => core.syncState(),
    'sync.now': () => core.syncNow(),
  };
}
