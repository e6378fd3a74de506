import { z } from 'zod';
import { centralHealthSchema } from '../health';
import { agentStateSchema, setAgentStateInputSchema } from './agent-state';
import {
  addNoteInputSchema,
  callerLookupInputSchema,
  callerLookupSchema,
  callerSchema,
  caseDetailSchema,
  caseEventSchema,
  caseIdInputSchema,
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
import type { EventName, RequestName } from './names';
import { sessionStateSchema, signInInputSchema, syncStateSchema } from './session';

export { eventNames, IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL, requestNames, type EventName, type RequestName } from './names';

/**
 * The desktop contract: every request the renderer may make of the main process and every event the main process
 * may send. The preload, the IPC registration, the browser-mode WebSocket and the renderer's `api` are all derived
 * from this one declaration, so a request exists in all of them or in none.
 */

const noInput = z.object({}).strict();

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
  'cases.get': request({ input: caseIdInputSchema, output: caseDetailSchema, summary: 'One case with its timeline.' }),
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
} as const satisfies Record<RequestName, RequestDeclaration<z.ZodType, z.ZodType>>;

export const desktopEvents = {
  'central.healthChanged': centralHealthSchema,
  'agent.stateChanged': agentStateSchema,
  'session.changed': sessionStateSchema,
  'sync.stateChanged': syncStateSchema,
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
