import { z } from 'zod';
import { centralHealthSchema } from '../health';
import { agentStateSchema, breakReasons, setAgentStateInputSchema } from './agent-state';
import {
  addNoteInputSchema,
  callerLookupInputSchema,
  callerLookupSchema,
  callerSchema,
  caseDetailSchema,
  caseEventSchema,
  caseIdInputSchema,
  openCaseInputSchema,
  caseListFiltersSchema,
  caseListPageSchema,
  changeStatusInputSchema,
  createCaseInputSchema,
  fieldSavedSchema,
  providerSchema,
  providerSearchInputSchema,
  referenceDataSchema,
  saveCallerInputSchema,
  searchInputSchema,
  searchResultSchema,
  updateFieldInputSchema,
} from './cases';
import { callSchema, handlerStatusSchema, liveEventSchema } from '../telephony/model';
import {
  holdRequestSchema,
  linkCaseRequestSchema,
  monitorRequestSchema,
  outboundCallRequestSchema,
  setSimulatorRatesRequestSchema,
  simulatorStatusSchema,
  startSimulatorRequestSchema,
  transferRequestSchema,
  voiceTokenResponseSchema,
  wrapUpRequestSchema,
} from '../telephony/requests';
import { liveConnectionStateSchema, livePictureSchema } from './live';
import { reportCsvSchema, savedCsvSchema } from './reports';
import { claimedSchema, claimInputSchema, inboxFiltersSchema, inboxPageSchema, replyInputSchema, resolveInputSchema } from './inbox';
import { serviceTargetsSchema } from '../inbox/service-targets';
import {
  approveInputSchema,
  approveOutcomeSchema,
  moderationCaseInputSchema,
  moderationQueueInputSchema,
  moderationQueueItemSchema,
  moderationViewSchema,
  referralListSchema,
  referralSchema,
  rejectInputSchema,
  rejectOutcomeSchema,
  revokeReferralInputSchema,
  saveDraftInputSchema,
  saveDraftOutcomeSchema,
  sendReferralInputSchema,
} from './moderation';
import { reportQuerySchema, reportSummarySchema } from '../reports/report-schema';
import type { EventName, RequestName } from './names';
import { sessionStateSchema, signInInputSchema, syncStateSchema } from './session';

export { eventNames, IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL, requestNames, type EventName, type RequestName } from './names';

/**
 * The desktop contract: every request the renderer may make of the main process and every event the main process
 * may send. The preload, the IPC registration, the browser-mode WebSocket and the renderer's `api` are all derived
 * from this one declaration, so a request exists in all of them or in none.
 */

const noInput = z.object({}).strict();

const callIdInputSchema = z.object({ callId: z.string().min(1).max(128) }).strict();

/** A supervisor's choice for one handler: the same states a handler may choose for themselves. */
const handlerStateInputSchema = z.union([
  z.object({ handlerId: z.string().min(1).max(128), state: z.literal('available') }).strict(),
  z.object({ handlerId: z.string().min(1).max(128), state: z.literal('offline') }).strict(),
  z.object({ handlerId: z.string().min(1).max(128), state: z.literal('break'), reason: z.enum(breakReasons) }).strict(),
]);

/** A case after a supervisor reassigned it: enough for the screen to confirm who has it now. */
export const reassignedCaseSchema = z.object({ id: z.string(), reference: z.string(), ownerId: z.string() });

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  /** Where the local cache lives, so support can find it. Not patient data. */
  databasePath: z.string(),
  schemaVersion: z.number().int(),
  /** Which shell hosts the renderer: the Electron desktop or the browser mode used for development and tests. */
  shell: z.enum(['electron', 'browser']),
  platform: z.string(),
  centralApiUrl: z.string(),
  centralApiEmbedded: z.boolean(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

interface RequestDeclaration<I extends z.ZodType, O extends z.ZodType> {
  input: I;
  output: O;
  /** One line for the OpenAPI-style listing and for errors. */
  summary: string;
}

function request<I extends z.ZodType, O extends z.ZodType>(decl: RequestDeclaration<I, O>): RequestDeclaration<I, O> {
  return decl;
}

export const desktopRequests = {
  'app.getInfo': request({ input: noInput, output: appInfoSchema, summary: 'Version, data folder and shell of this desktop.' }),
  'central.getHealth': request({
    input: noInput,
    output: centralHealthSchema,
    summary: 'The last known state of the connection to the central API.',
  }),
  'central.checkHealth': request({
    input: noInput,
    output: centralHealthSchema,
    summary: 'Check the central API now and return the fresh state.',
  }),
  'agent.getState': request({ input: noInput, output: agentStateSchema, summary: "The handler's own state." }),
  'agent.setState': request({
    input: setAgentStateInputSchema,
    output: agentStateSchema,
    summary: 'Become available, take a break (with a reason) or go offline.',
  }),
  'reference.get': request({ input: noInput, output: referenceDataSchema, summary: 'Categories, dispositions and queues.' }),
  'providers.search': request({
    input: providerSearchInputSchema,
    output: z.array(providerSchema),
    summary: 'Providers whose organisation code or name matches, for the type-ahead.',
  }),
  'cases.create': request({ input: createCaseInputSchema, output: caseDetailSchema, summary: 'Open a new case with its reference.' }),
  'cases.updateField': request({
    input: updateFieldInputSchema,
    output: fieldSavedSchema,
    summary: 'Save one field of a case (autosave); refused with a message if the value is not valid.',
  }),
  'cases.addNote': request({ input: addNoteInputSchema, output: caseEventSchema, summary: 'Append a note to the case timeline.' }),
  'cases.changeStatus': request({
    input: changeStatusInputSchema,
    output: caseDetailSchema,
    summary: 'Move a case to a status its type allows from where it is.',
  }),
  'cases.get': request({ input: caseIdInputSchema, output: caseDetailSchema, summary: 'One case with its timeline (a refresh of a case already shown).' }),
  'cases.open': request({
    input: openCaseInputSchema,
    output: caseDetailSchema,
    summary: 'Show a case to the handler: the case with its timeline, and a report of the read for the central audit log.',
  }),
  'cases.list': request({ input: caseListFiltersSchema, output: caseListPageSchema, summary: 'Cases, newest first, filtered and paged.' }),
  'cases.search': request({
    input: searchInputSchema,
    output: searchResultSchema,
    summary: 'Find cases by reference, phone number or words in the caller’s words and notes.',
  }),
  'callers.lookup': request({
    input: callerLookupInputSchema,
    output: callerLookupSchema,
    summary: 'The screen pop: the caller with this number, their flags, open and recent cases.',
  }),
  'callers.save': request({ input: saveCallerInputSchema, output: callerSchema, summary: 'Create or update a caller.' }),
  'session.get': request({ input: noInput, output: sessionStateSchema, summary: 'Who is signed in on this desk.' }),
  'session.signIn': request({
    input: signInInputSchema,
    output: sessionStateSchema,
    summary: 'Sign in to the central service; the tokens stay in the main process.',
  }),
  'session.signOut': request({ input: noInput, output: sessionStateSchema, summary: 'Sign out of this desk.' }),
  'sync.getState': request({ input: noInput, output: syncStateSchema, summary: 'Online or offline, changes waiting, progress.' }),
  'sync.now': request({ input: noInput, output: syncStateSchema, summary: 'Sync now instead of waiting.' }),
  'telephony.getPicture': request({ input: noInput, output: livePictureSchema, summary: 'What the live link has told this desk so far: handlers, calls, offers, queues.' }),
  'telephony.setState': request({ input: setAgentStateInputSchema, output: handlerStatusSchema, summary: 'Become available, take a break (with a reason) or go offline on the line.' }),
  'telephony.answer': request({ input: callIdInputSchema, output: callSchema, summary: 'Answer the call ringing for this handler.' }),
  'telephony.decline': request({ input: callIdInputSchema, output: z.null(), summary: 'Decline the offer; the call goes to the next handler.' }),
  'telephony.hold': request({ input: callIdInputSchema.extend(holdRequestSchema.shape), output: callSchema, summary: 'Put the caller on hold, or take them off it.' }),
  'telephony.hangUp': request({ input: callIdInputSchema, output: callSchema, summary: 'End the call; wrap-up starts.' }),
  'telephony.transfer': request({ input: callIdInputSchema.extend(transferRequestSchema.shape), output: callSchema, summary: 'Transfer the call to a queue or a handler, cold or warm.' }),
  'telephony.completeConsult': request({ input: callIdInputSchema, output: callSchema, summary: 'Hand the caller to the colleague consulted in a warm transfer.' }),
  'telephony.cancelConsult': request({ input: callIdInputSchema, output: callSchema, summary: 'End the consult and take the caller back.' }),
  'telephony.wrapUp': request({ input: callIdInputSchema.extend(wrapUpRequestSchema.shape), output: callSchema, summary: 'Finish wrap-up with a disposition and become available.' }),
  'telephony.linkCase': request({ input: callIdInputSchema.extend(linkCaseRequestSchema.shape), output: z.object({ callId: z.string(), caseId: z.string() }), summary: 'Link the case being logged to the call.' }),
  'telephony.dial': request({ input: outboundCallRequestSchema, output: callSchema, summary: 'Call a number (click to call, a callback from a case).' }),
  'telephony.voiceToken': request({ input: noInput, output: voiceTokenResponseSchema, summary: "The softphone's Twilio Voice token for this handler." }),
  'supervisor.reassignCase': request({
    input: z.object({ caseId: z.string().min(1).max(128), ownerId: z.string().min(1).max(128) }).strict(),
    output: reassignedCaseSchema,
    summary: 'Give a case to another handler of its team (supervisors).',
  }),
  'supervisor.monitorCall': request({
    input: callIdInputSchema.extend(monitorRequestSchema.shape),
    output: callSchema,
    summary: 'Listen to a live call, or whisper to its handler (Twilio line only).',
  }),
  'telephony.getLinkState': request({ input: noInput, output: liveConnectionStateSchema, summary: 'Whether the live link to the central API is up now.' }),
  'supervisor.setHandlerState': request({ input: handlerStateInputSchema, output: handlerStatusSchema, summary: "Set a handler's state, e.g. back to available." }),
  'simulator.getStatus': request({ input: noInput, output: simulatorStatusSchema, summary: 'Whether simulated calls are running, and at what rates.' }),
  'simulator.start': request({ input: startSimulatorRequestSchema, output: simulatorStatusSchema, summary: 'Start simulated calls.' }),
  'simulator.stop': request({ input: noInput, output: simulatorStatusSchema, summary: 'Stop new simulated calls.' }),
  'simulator.setRates': request({ input: setSimulatorRatesRequestSchema, output: simulatorStatusSchema, summary: 'Set simulated calls per hour per queue.' }),
  'reports.getSummary': request({ input: reportQuerySchema, output: reportSummarySchema, summary: 'The report figures for London days from..to and a team (supervisors and admins).' }),
  'reports.exportCsv': request({ input: reportQuerySchema, output: reportCsvSchema, summary: 'The same report as the CSV the central API exports, with a file name to save it as.' }),
  'reports.saveCsv': request({ input: reportQuerySchema, output: savedCsvSchema, summary: "Save the report's CSV where the handler chooses (Electron's save dialog); browser mode gets it back to download." }),
  'inbox.list': request({
    input: inboxFiltersSchema,
    output: inboxPageSchema,
    summary: 'The shared inbox: open contacts that did not come by phone, and general enquiries, oldest first, from the local cache.',
  }),
  'inbox.claim': request({ input: claimInputSchema, output: claimedSchema, summary: 'Claim an unclaimed contact; refused with who has it when someone was first.' }),
  'inbox.reply': request({ input: replyInputSchema, output: caseEventSchema, summary: 'Reply to the patient by SMS or email through the central API; the reply joins the thread.' }),
  'inbox.resolve': request({ input: resolveInputSchema, output: caseDetailSchema, summary: 'Close a contact as resolved, recording the disposition on its timeline.' }),
  'inbox.setTargets': request({ input: serviceTargetsSchema, output: serviceTargetsSchema, summary: 'Set how soon contacts should be answered, per channel, on this desk.' }),
  'moderation.queue': request({ input: moderationQueueInputSchema, output: z.object({ items: z.array(moderationQueueItemSchema) }), summary: 'Publishable feedback of your teams to moderate, oldest first (supervisors).' }),
  'moderation.get': request({ input: moderationCaseInputSchema, output: moderationViewSchema, summary: 'One case for moderation: the caller’s words and the draft, each with its identifying details.' }),
  'moderation.saveDraft': request({ input: saveDraftInputSchema, output: saveDraftOutcomeSchema, summary: 'Save a moderated description in progress; nothing is published.' }),
  'moderation.approve': request({ input: approveInputSchema, output: approveOutcomeSchema, summary: 'Approve a moderated description; refused, detail by detail, while identifying details remain.' }),
  'moderation.reject': request({ input: rejectInputSchema, output: rejectOutcomeSchema, summary: 'Decline to publish a case, or withdraw it, with the reason.' }),
  'moderation.publishResponse': request({ input: approveInputSchema, output: approveOutcomeSchema, summary: 'Publish the provider’s response beside the published feedback.' }),
  'referrals.send': request({ input: sendReferralInputSchema, output: referralSchema, summary: 'Send a case to its provider by email, with a secure link or the moderated summary.' }),
  'referrals.list': request({ input: moderationCaseInputSchema, output: referralListSchema, summary: 'The links a case was sent to its provider with, newest first, and how far each got.' }),
  'referrals.revoke': request({ input: revokeReferralInputSchema, output: referralSchema, summary: 'Withdraw a provider’s link before it expires.' }),
} as const satisfies Record<RequestName, RequestDeclaration<z.ZodType, z.ZodType>>;

export const desktopEvents = {
  'central.healthChanged': centralHealthSchema,
  'agent.stateChanged': agentStateSchema,
  'session.changed': sessionStateSchema,
  'sync.stateChanged': syncStateSchema,
  /** An offer, call, handler state, queue figures or a full snapshot from the central API, already validated. */
  'live.event': liveEventSchema,
  'live.connectionChanged': liveConnectionStateSchema,
  /** Sync brought changes to these cases (a colleague's edit, a conflict, a patient's message). */
  'cases.changed': z.object({ caseIds: z.array(z.string()) }),
} as const satisfies Record<EventName, z.ZodType>;
export type RequestInput<N extends RequestName> = z.input<(typeof desktopRequests)[N]['input']>;
export type ParsedRequestInput<N extends RequestName> = z.output<(typeof desktopRequests)[N]['input']>;
export type RequestOutput<N extends RequestName> = z.output<(typeof desktopRequests)[N]['output']>;
export type EventPayload<N extends EventName> = z.output<(typeof desktopEvents)[N]>;

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.hasOwn(desktopRequests, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(desktopEvents, name);
}
