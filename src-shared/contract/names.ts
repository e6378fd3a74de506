/**
 * The names of the contract's requests and events, without their schemas, so the sandboxed preload can build
 * `window.careDesk` without bundling zod. `desktop-contract.ts` must declare exactly these (the compiler checks).
 */
export const requestNames = [
  'app.getInfo',
  'central.getHealth',
  'central.checkHealth',
  'agent.getState',
  'agent.setState',
  'reference.get',
  'providers.search',
  'cases.create',
  'cases.updateField',
  'cases.addNote',
  'cases.changeStatus',
  'cases.get',
  'cases.list',
  'cases.search',
  'callers.lookup',
  'callers.save',
  'session.get',
  'session.signIn',
  'session.signOut',
  'sync.getState',
  'sync.now',
  'telephony.getPicture',
  'telephony.setState',
  'telephony.answer',
  'telephony.decline',
  'telephony.hold',
  'telephony.hangUp',
  'telephony.transfer',
  'telephony.completeConsult',
  'telephony.cancelConsult',
  'telephony.wrapUp',
  'telephony.linkCase',
  'telephony.dial',
  'telephony.voiceToken',
  'supervisor.setHandlerState',
  'supervisor.reassignCase',
  'supervisor.monitorCall',
  'telephony.getLinkState',
  'simulator.getStatus',
  'simulator.start',
  'simulator.stop',
  'simulator.setRates',
  'reports.getSummary',
  'reports.exportCsv',
  'inbox.list',
  'inbox.claim',
  'inbox.reply',
  'inbox.resolve',
  'inbox.setTargets',
  'moderation.queue',
  'moderation.get',
  'moderation.saveDraft',
  'moderation.approve',
  'moderation.reject',
  'moderation.publishResponse',
  'referrals.send',
  'referrals.list',
  'referrals.revoke',
] as const;
export const eventNames = [
  'central.healthChanged',
  'agent.stateChanged',
  'session.changed',
  'sync.stateChanged',
  'live.event',
  'live.connectionChanged',
] as const;

export type RequestName = (typeof requestNames)[number];
export type EventName = (typeof eventNames)[number];

/** The one IPC channel for requests and the one for events; the preload and the registration share them. */
export const IPC_REQUEST_CHANNEL = 'care-desk:request';
export const IPC_EVENT_CHANNEL = 'care-desk:event';
