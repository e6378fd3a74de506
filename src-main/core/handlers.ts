import { saveTextWith } from './files/file-saver';
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
    'cases.open': (input) => core.cases.open(input.caseId, input.from),
    'cases.list': (input) => core.cases.list(input),
    'cases.search': (input) => core.search.search(input.query, input.limit),
    'callers.lookup': (input) => core.callers.lookup(input.phone),
    'callers.save': (input) => core.callers.save(input),
    'session.get': () => core.session.state(),
    'session.signIn': (input) => core.signIn(input.email, input.password),
    'session.signOut': () => core.signOut(),
    'sync.getState': () => core.syncState(),
    'sync.now': () => core.syncNow(),
    'telephony.getPicture': () => core.live.picture(),
    'telephony.setState': (input) => core.telephony.setState(input),
    'telephony.answer': (input) => core.telephony.answer(input.callId),
    'telephony.decline': async (input) => {
      await core.telephony.decline(input.callId);
      return null;
    },
    'telephony.hold': (input) => core.telephony.hold(input.callId, input.on),
    'telephony.hangUp': (input) => core.telephony.hangUp(input.callId),
    'telephony.transfer': (input) => core.telephony.transfer(input.callId, input.mode, input.target),
    'telephony.completeConsult': (input) => core.telephony.completeConsult(input.callId),
    'telephony.cancelConsult': (input) => core.telephony.cancelConsult(input.callId),
    'telephony.wrapUp': (input) => core.telephony.wrapUp(input.callId, input.dispositionId, input.caseId ?? null),
    'telephony.linkCase': (input) => core.telephony.linkCase(input.callId, input.caseId),
    'telephony.dial': (input) => core.telephony.dial(input.to, input.caseId ?? null),
    'telephony.voiceToken': () => core.telephony.voiceToken(),
    'supervisor.reassignCase': (input) => core.telephony.reassignCase(input.caseId, input.ownerId),
    'supervisor.monitorCall': (input) => core.telephony.monitorCall(input.callId, input.mode),
    'telephony.getLinkState': () => core.live.state(),
    'supervisor.setHandlerState': ({ handlerId, ...state }) => core.telephony.setHandlerState(handlerId, state),
    'simulator.getStatus': () => core.telephony.simulatorStatus(),
    'simulator.start': (input) => core.telephony.startSimulator(input.ratesPerHour),
    'simulator.stop': () => core.telephony.stopSimulator(),
    'simulator.setRates': (input) => core.telephony.setSimulatorRates(input.ratesPerHour),
    'reports.getSummary': (input) => core.reports.summary(input),
    'reports.exportCsv': (input) => core.reports.exportCsv(input),
    'reports.saveCsv': async (input) => {
      const csv = await core.reports.exportCsv(input);
      const outcome = await saveTextWith(core.fileSaver, { suggestedName: csv.fileName, text: csv.csv, kind: 'csv' });
      return outcome.kind === 'use-download' ? { kind: 'use-download' as const, ...csv } : outcome;
    },
    'inbox.list': (input) => core.inbox.list(input),
    'inbox.claim': (input) => core.inbox.claim(input.caseId),
    'inbox.reply': (input) => core.inbox.reply(input.caseId, input.body),
    'inbox.resolve': (input) => core.inbox.resolve(input.caseId, input.dispositionId),
    'inbox.setTargets': (input) => core.inbox.setTargets(input),
    'moderation.queue': (input) => core.moderation.queue(input.state),
    'moderation.get': (input) => core.moderation.get(input.caseId),
    'moderation.saveDraft': (input) => core.moderation.saveDraft(input.caseId, input.text),
    'moderation.approve': (input) => core.moderation.approve(input.caseId, input.text, input.overrides),
    'moderation.reject': (input) => core.moderation.reject(input.caseId, input.reason),
    'moderation.publishResponse': (input) => core.moderation.publishResponse(input.caseId, input.text, input.overrides),
    'referrals.send': (input) => core.moderation.sendToProvider(input.caseId, input.mode, input.summary),
    'referrals.list': (input) => core.moderation.referrals(input.caseId),
    'referrals.revoke': (input) => core.moderation.revokeReferral(input.caseId, input.referralId),
  };
}
