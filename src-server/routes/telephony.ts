import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { setAgentStateInputSchema } from '../../src-shared/contract/agent-state';
import { normalisePhoneNumber } from '../../src-shared/domain/phone-number';
import { callSchema, handlerStatusSchema, snapshotEventSchema } from '../../src-shared/telephony/model';
import {
  holdRequestSchema,
  linkCaseRequestSchema,
  monitorRequestSchema,
  outboundCallRequestSchema,
  setSimulatorRatesRequestSchema,
  setSkillsRequestSchema,
  simulatorStatusSchema,
  startSimulatorRequestSchema,
  transferRequestSchema,
  wrapUpRequestSchema,
} from '../../src-shared/telephony/requests';
import { sendProblem } from '../problem';
import type { Actor, CentralStore } from '../store/central-store';
import type { TelephonyStore } from '../store/telephony-store';
import type { EngineResult, HandlerProfile, RoutingEngine } from '../telephony/routing-engine';
import type { Simulator } from '../telephony/simulator';
import { TwilioCallRefusal } from '../telephony/twilio/twilio-provider';
import { defineRoute, type RouteSpec } from './route-spec';

export interface TelephonyDeps {
  engine: RoutingEngine;
  telephonyStore: TelephonyStore;
  /** Present when the line is simulated; the simulator routes refuse otherwise. */
  simulator?: Simulator | null;
}

/** Problem type for a call-control request the line cannot do now (a call no longer ringing, a busy colleague). */
export const TELEPHONY_REFUSED = '/problems/telephony-refused';

const callParams = z.object({ callId: z.string().min(1).max(128) }).strict();
const handlerParams = z.object({ handlerId: z.string().min(1).max(128) }).strict();

function profileOf(actor: Actor): HandlerProfile {
  return { handlerId: actor.userId, name: actor.name, teamIds: actor.teamIds };
}

/** The engine's answer, or its refusal as problem+json with a sentence the handler can read. */
function reply<T>(result: EngineResult<T>, response: FastifyReply): T | FastifyReply {
  if (result.ok) return result.value;
  return sendProblem(response, { type: TELEPHONY_REFUSED, title: result.refusal.title, status: result.refusal.status, detail: result.refusal.detail });
}

/**
 * Call control and the line's live state. Handlers (and supervisors taking calls) control their own calls;
 * supervisors and admins set handlers' states and skills, read the live picture and drive the simulator.
 * Everything a request changes also goes out as live events; the response is the new state for the caller's own use.
 */
export function telephonyRoutes(deps: TelephonyDeps & { store: CentralStore }): RouteSpec[] {
  const takesCalls = ['handler', 'supervisor'] as const;
  const manages = ['supervisor', 'admin'] as const;
  const { engine } = deps;
  const tag = 'telephony';

  /**
   * Refuses (404, as for a case the person may not read) a call's link to a case of another team: the link would put
   * that case's id on the call, in the snapshot and the call log the other team sees.
   */
  async function refuseOtherTeamsCase(actor: Actor, caseId: string | null | undefined, response: FastifyReply): Promise<FastifyReply | null> {
    if (!caseId || !(await deps.store.caseOutOfReach(actor, caseId))) return null;
    return sendProblem(response, { type: '/problems/not-found', title: 'No such case in your teams', status: 404, detail: 'A call can be linked only to a case of your teams.' });
  }

  /** The handler a supervisor is acting on, if they may: admins any, supervisors those sharing a team. */
  async function managedHandler(actor: Actor, handlerId: string, response: FastifyReply): Promise<HandlerProfile | FastifyReply> {
    const user = await deps.store.getUser(handlerId);
    if (!user || user.disabled) return sendProblem(response, { type: '/problems/not-found', title: 'No such handler', status: 404, detail: `There is no handler with id ${handlerId}.` });
    if (actor.role !== 'admin' && !user.teamIds.some((id) => actor.teamIds.includes(id))) {
      return sendProblem(response, { type: TELEPHONY_REFUSED, title: 'Not your team', status: 403, detail: `${user.name} is not in a team you supervise.` });
    }
    return { handlerId: user.id, name: user.name, teamIds: user.teamIds };
  }

  function simulatorOr(response: FastifyReply) {
    return deps.simulator ?? sendProblem(response, { type: TELEPHONY_REFUSED, title: 'No simulator', status: 409, detail: 'This line runs on Twilio, so there is no call simulator to control.' });
  }

  return [
    defineRoute({
      method: 'GET',
      url: '/telephony/snapshot',
      summary: 'Read the live telephony picture for your role',
      tag,
      access: ['handler', 'supervisor', 'admin'],
      response: snapshotEventSchema,
      handler: async ({ actor }) => engine.snapshot({ userId: actor!.userId, role: actor!.role, teamIds: actor!.teamIds }),
    }),
    defineRoute({
      method: 'PUT',
      url: '/telephony/me/state',
      summary: 'Set your own state',
      tag,
      refusals: { 409: 'You are on a call, wrapping up, or a call is ringing for you' },
      access: takesCalls,
      body: setAgentStateInputSchema,
      response: handlerStatusSchema,
      handler: async ({ actor, body, reply: response }) => reply(engine.setHandlerState(profileOf(actor!), body, 'self'), response),
    }),
    defineRoute({
      method: 'POST',
      url: '/telephony/calls/:callId/answer',
      summary: 'Answer a call ringing for you',
      tag,
      refusals: { 409: 'The call is not ringing for you' },
      access: takesCalls,
      params: callParams,
      response: callSchema,
      handler: async ({ actor, params, reply: response }) => reply(engine.answer(actor!.userId, params.callId), response),
    }),
    defineRoute({
      method: 'POST',
      url: '/telephony/calls/:callId/decline',
      summary: 'Decline a call ringing for you',
      tag,
      refusals: { 409: 'The call is not ringing for you' },
      access: takesCalls,
      params: callParams,
      handler: async ({ actor, params, reply: response }) => {
        const result = engine.decline(actor!.userId, params.callId);
        return result.ok ? undefined : reply(result, response);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/telephony/calls/:callId/hold',
      summary: 'Put a caller on hold or take them off it',
      tag,
      refusals: { 409: 'The call is not yours, or not in a state that allows it now' },
      access: takesCalls,
      params: callParams,
      body: holdRequestSchema,
      response: callSchema,
      handler: async ({ actor, params, body, reply: response }) => reply(engine.hold(actor!.userId, params.callId, body.on), response),
    }),
    defineRoute({
      method: 'POST',
      url: '/telephony/calls/:callId/hang-up',
      summary: 'Hang up a call',
      tag,
      refusals: { 409: 'The call is not yours, or not in a state that allows it now' },
      access: takesCalls,
      params: callParams,
      response: callSchema,
      handler: async ({ actor, params, reply: response }) => reply(engine.hangUp(actor!.userId, params.callId), response),
    }),
    defineRoute({
      method: 'POST',
      url: '/telephony/calls/:callId/transfer',
      summary: 'Transfer a call to a queue or a colleague',
      tag,
      refusals: { 409: 'The call is not yours, or not in a state that allows it now; or nobody is free to take it', 422: 'The target is yourself, or no such queue' },
      access: takesCalls,
      params: callParams,
      body: transferRequestSchema,
      response: callSchema,
      handler: async ({ actor, params, body, reply: response }) => reply(engine.transfer(actor!.userId, params.callId, body.target, body.mode), response),
    }),
    defineRoute({
      method: 'POST',
      url: '/telephony/calls/:callId/consult/complete',
      summary: 'Complete a warm transfer',
      tag,
      refusals: { 409: 'The call is not yours, or not in a state that allows it now; or there is no consult' },
      access: takesCalls,
      params: callParams,
      response: callSchema,
      handler: async ({ actor, params, reply: response }) => reply(engine.completeConsult(actor!.userId, params.callId), response),
    }),
    defineRoute({
      method: 'POST',
      url: '/telephony/calls/:callId/consult/cancel',
      summary: 'Cancel a warm transfer',
      tag,
      refusals: { 409: 'The call is not yours, or not in a state that allows it now; or there is no consult' },
      access: takesCalls,
      params: callParams,
      response: callSchema,
      handler: async ({ actor, params, reply: response }) => reply(engine.cancelConsult(actor!.userId, params.callId), response),
    }),
    defineRoute({
      method: 'POST',
      url: '/telephony/calls/:callId/wrap-up',
      summary: 'Finish wrap-up with a disposition',
      tag,
      refusals: { 404: 'The case is not one of your teams’ (as if it did not exist)', 409: 'The call is not yours, or not in wrap-up', 422: 'No such disposition' },
      access: takesCalls,
      params: callParams,
      body: wrapUpRequestSchema,
      response: callSchema,
      handler: async ({ actor, params, body, reply: response }) => (await refuseOtherTeamsCase(actor!, body.caseId, response)) ?? reply(engine.wrapUp(actor!.userId, params.callId, body), response),
    }),
    defineRoute({
      method: 'PUT',
      url: '/telephony/calls/:callId/case',
      summary: 'Link a case to a call',
      tag,
      refusals: { 404: 'The case is not one of your teams’ (as if it did not exist), or no call of yours has that id', 409: 'The call is not yours, or not in a state that allows it now' },
      access: takesCalls,
      params: callParams,
      body: linkCaseRequestSchema,
      response: z.object({ callId: z.string(), caseId: z.string() }),
      async handler({ actor, params, body, reply: response }) {
        const refused = await refuseOtherTeamsCase(actor!, body.caseId, response);
        if (refused) return refused;
        if (engine.call(params.callId)) {
          const linked = engine.linkCase(actor!.userId, params.callId, body.caseId);
          return linked.ok ? { callId: linked.value.id, caseId: body.caseId } : reply(linked, response);
        }
        // A call already finished and written: link it in the store, if it was this handler's.
        if (await deps.telephonyStore.linkCase(params.callId, body.caseId, actor!.userId)) return { callId: params.callId, caseId: body.caseId };
        return sendProblem(response, { type: '/problems/not-found', title: 'No such call', status: 404, detail: 'There is no call of yours with that id to link the case to.' });
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/telephony/calls/outbound',
      summary: 'Make an outbound call',
      tag,
      refusals: { 404: 'The case is not one of your teams’ (as if it did not exist)', 409: 'You are offline or busy', 422: 'The number is not a phone number' },
      access: takesCalls,
      body: outboundCallRequestSchema,
      response: callSchema,
      status: 201,
      async handler({ actor, body, reply: response }) {
        const number = normalisePhoneNumber(body.to);
        if (!number.ok) {
          return sendProblem(response, { type: '/problems/validation', title: 'The request is not valid', status: 422, detail: number.message, errors: [{ pointer: '#/body/to', code: 'invalid_phone_number', message: number.message }] });
        }
        const refused = await refuseOtherTeamsCase(actor!, body.caseId, response);
        if (refused) return refused;
        const result = engine.dialOut(profileOf(actor!), number.e164, body.caseId ?? null);
        if (!result.ok) return reply(result, response);
        return result.value.call;
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/telephony/calls/:callId/monitor',
      summary: 'Listen to, or whisper into, a live call of your team',
      tag,
      refusals: { 403: 'The call is with a handler outside the teams you supervise', 409: 'The call is not live, or not on Twilio, or Twilio refused', 502: 'Twilio could not add you to the call' },
      access: manages,
      params: callParams,
      body: monitorRequestSchema,
      response: callSchema,
      async handler({ actor, params, body, reply: response }) {
        const result = engine.monitor({ userId: actor!.userId, role: actor!.role, teamIds: actor!.teamIds }, params.callId, body.mode);
        if (!result.ok) return reply(result, response);
        try {
          await result.value.monitored;
        } catch (error) {
          // Twilio's own refusal (no conference yet, nobody to whisper to) is a sentence for the supervisor.
          const detail = error instanceof TwilioCallRefusal ? error.message : 'Twilio could not add you to the call. Try again in a moment.';
          return sendProblem(response, { type: TELEPHONY_REFUSED, title: 'Could not listen in', status: error instanceof TwilioCallRefusal ? 409 : 502, detail });
        }
        return result.value.call;
      },
    }),
    defineRoute({
      method: 'PUT',
      url: '/telephony/handlers/:handlerId/state',
      summary: "Set a handler's state",
      tag,
      refusals: { 403: 'The handler is not in a team you supervise', 404: 'No such handler', 409: 'The handler is on a call or wrapping up' },
      access: manages,
      params: handlerParams,
      body: setAgentStateInputSchema,
      response: handlerStatusSchema,
      async handler({ actor, params, body, reply: response }) {
        const profile = await managedHandler(actor!, params.handlerId, response);
        if ('sent' in profile) return profile;
        return reply(engine.setHandlerState(profile, body, 'supervisor'), response);
      },
    }),
    defineRoute({
      method: 'PUT',
      url: '/telephony/handlers/:handlerId/skills',
      summary: "Set a handler's skills",
      tag,
      refusals: { 403: 'The handler is not in a team you supervise', 404: 'No such handler', 422: 'No such queue' },
      access: manages,
      params: handlerParams,
      body: setSkillsRequestSchema,
      response: handlerStatusSchema,
      async handler({ actor, params, body, reply: response }) {
        const known = new Set(engine.queueDefinitions().map((q) => q.id));
        const unknown = body.queueIds.filter((id) => !known.has(id));
        if (unknown.length > 0) {
          return sendProblem(response, { type: '/problems/validation', title: 'Unknown queue', status: 422, detail: `There is no queue ${unknown.join(', ')}. Choose from ${[...known].join(', ')}.` });
        }
        const profile = await managedHandler(actor!, params.handlerId, response);
        if ('sent' in profile) return profile;
        await deps.telephonyStore.setSkills(profile.handlerId, body.queueIds);
        return engine.setSkills(profile, body.queueIds);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/telephony/simulator',
      summary: 'Read the call simulator',
      tag,
      refusals: { 409: 'There is no call simulator: this line runs on Twilio' },
      access: manages,
      response: simulatorStatusSchema,
      async handler({ reply: response }) {
        const simulator = simulatorOr(response);
        return 'sent' in simulator ? simulator : simulator.status();
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/telephony/simulator/start',
      summary: 'Start the call simulator',
      tag,
      refusals: { 409: 'There is no call simulator: this line runs on Twilio' },
      access: manages,
      body: startSimulatorRequestSchema,
      response: simulatorStatusSchema,
      async handler({ body, reply: response }) {
        const simulator = simulatorOr(response);
        if ('sent' in simulator) return simulator;
        simulator.start(body.ratesPerHour);
        return simulator.status();
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/telephony/simulator/stop',
      summary: 'Stop the call simulator',
      tag,
      refusals: { 409: 'There is no call simulator: this line runs on Twilio' },
      access: manages,
      response: simulatorStatusSchema,
      async handler({ reply: response }) {
        const simulator = simulatorOr(response);
        if ('sent' in simulator) return simulator;
        simulator.stop();
        return simulator.status();
      },
    }),
    defineRoute({
      method: 'PUT',
      url: '/telephony/simulator/rates',
      summary: 'Set the call simulator’s rates',
      tag,
      refusals: { 409: 'There is no call simulator: this line runs on Twilio' },
      access: manages,
      body: setSimulatorRatesRequestSchema,
      response: simulatorStatusSchema,
      async handler({ body, reply: response }) {
        const simulator = simulatorOr(response);
        if ('sent' in simulator) return simulator;
        for (const [queueId, perHour] of Object.entries(body.ratesPerHour)) simulator.setRate(queueId, perHour);
        return simulator.status();
      },
    }),
  ];
}
