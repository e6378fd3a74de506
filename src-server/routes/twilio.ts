import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { problemTypes } from '../../src-shared/problem';
import { voiceTokenResponseSchema } from '../../src-shared/telephony/requests';
import { createRateLimiter } from '../auth/rate-limit';
import { sendProblem } from '../problem';
import type { CentralStore } from '../store/central-store';
import type { TelephonyEvents } from '../telephony/provider';
import { participantLabels } from '../telephony/twilio/twilio-provider';
import { createTwilioCallStore } from '../telephony/twilio/twilio-call-store';
import type { TwilioConfig } from '../telephony/twilio/twilio-config';
import type { TwilioRestClient } from '../telephony/twilio/twilio-rest-client';
import { mintVoiceToken } from '../telephony/twilio/voice-token';
import {
  conferenceNameFor,
  FALLBACK_QUEUE_ID,
  greetingTwiml,
  holdMusicTwiml,
  MENU_ATTEMPTS,
  queueForChoice,
  queuedTwiml,
  repromptTwiml,
  sorryTwiml,
  twilioWebhookPaths,
} from '../telephony/twilio/voice-menu';
import { isSignedByTwilio, param, parseWebhookForm, type WebhookParams } from '../telephony/twilio/webhook-signature';
import { defineRoute, type RouteSpec } from './route-spec';

/** What the API needs to run a Twilio line: the settings, the routing engine's ear, and Twilio's REST API. */
export interface TwilioDeps {
  config: TwilioConfig;
  events: TelephonyEvents;
  rest: TwilioRestClient;
}

export const VOICE_TOKENS_PER_MINUTE = 10;


/**
 * The softphone's token. Always registered, so a desk on a simulator line gets a clear answer rather than a 404 it
 * would have to guess about. It takes no input: the identity is the caller's own, from their access token, and a
 * request naming anyone (or anything) is refused.
 */
export function twilioTokenRoutes(deps: { twilio: TwilioDeps | null; clock: { now(): number } }): RouteSpec[] {
  const perUser = createRateLimiter({ limit: VOICE_TOKENS_PER_MINUTE, windowMs: 60_000, clock: deps.clock });
  return [
    defineRoute({
      method: 'POST',
      url: '/twilio/token',
      summary: 'Get a softphone token for yourself',
      tag: 'telephony',
      access: ['handler', 'supervisor'],
      body: z.strictObject({}),
      query: z.strictObject({}),
      response: voiceTokenResponseSchema,
      refusals: { 429: 'Too many token requests: wait as retry-after says', 501: 'This line uses the simulator: there is no softphone token' },
      async handler({ actor, reply, request }) {
        if (!deps.twilio) {
          return sendProblem(reply, {
            type: problemTypes.http,
            title: 'This line uses the simulator',
            status: 501,
            detail: 'Twilio is not configured on this API, so there is no softphone token to give. Calls come from the simulator.',
          });
        }
        const wait = perUser.hit(actor!.userId);
        if (wait > 0) {
          reply.header('retry-after', String(wait));
          return sendProblem(reply, { type: problemTypes.http, title: 'Too many token requests', status: 429, detail: `Wait ${wait} seconds and try again.` });
        }
        const token = mintVoiceToken(deps.twilio.config, actor!.userId);
        request.log.info({ userId: actor!.userId, expiresIn: token.expiresIn }, 'voice token issued');
        return token;
      },
    }),
  ];
}

const TERMINAL_CALL_STATUSES = new Set(['completed', 'no-answer', 'busy', 'failed', 'canceled']);

function twiml(reply: FastifyReply, xml: string): FastifyReply {
  return reply.code(200).type('text/xml').send(xml);
}

function paramsOf(request: FastifyRequest): WebhookParams {
  const body = request.body;
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as WebhookParams) : {};
}

/**
 * Twilio's webhooks: the incoming call, the menu, call and conference status, and hold music. They live in their
 * own plugin so the form-body parser they need applies to them only, and every one of them passes the signature
 * check before anything else runs: a request Twilio did not sign gets 403 and changes nothing.
 */
export function registerTwilioWebhooks(app: FastifyInstance, deps: TwilioDeps & { store: CentralStore; clock: { now(): number } }): void {
  const { config, events, rest } = deps;
  const calls = createTwilioCallStore(deps.store.db, deps.clock);

  app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
      done(null, parseWebhookForm(body as string));
    });

    scope.addHook('preHandler', async (request, reply) => {
      const signature = request.headers['x-twilio-signature'];
      const signed = isSignedByTwilio({
        authToken: config.authToken,
        publicUrl: config.publicUrl,
        pathAndQuery: request.raw.url ?? request.url,
        params: paramsOf(request),
        signature: typeof signature === 'string' ? signature : undefined,
      });
      if (!signed) {
        request.log.warn({ path: request.url.split('?')[0], signature: signature ? 'wrong' : 'missing' }, 'twilio webhook refused');
        return sendProblem(reply, { type: problemTypes.http, title: 'Not signed by Twilio', status: 403, detail: 'This webhook accepts only requests Twilio signed for this API.' });
      }
    });

    /** Required parameters, or a 400 naming the missing ones (never their values). */
    function need<K extends string>(params: WebhookParams, reply: FastifyReply, names: readonly K[]): Record<K, string> | null {
      const values = {} as Record<K, string>;
      const missing: string[] = [];
      for (const name of names) {
        const value = param(params, name);
        if (value) values[name] = value;
        else missing.push(name);
      }
      if (!missing.length) return values;
      sendProblem(reply, { type: problemTypes.validation, title: 'Missing webhook parameters', status: 400, detail: `Missing: ${missing.join(', ')}.` });
      return null;
    }

    scope.post(twilioWebhookPaths.voice, async (request, reply) => {
      const given = need(paramsOf(request), reply, ['CallSid']);
      if (!given) return reply;
      request.log.info({ callSid: given.CallSid }, 'incoming call greeted');
      return twiml(reply, greetingTwiml(config.publicUrl));
    });

    scope.post(twilioWebhookPaths.menu, async (request, reply) => {
      const params = paramsOf(request);
      const given = need(params, reply, ['CallSid']);
      if (!given) return reply;
      const callSid = given.CallSid;
      const attemptText = (request.query as Record<string, string | undefined>).attempt;
      const attempt = Math.min(MENU_ATTEMPTS, Math.max(1, Number.parseInt(attemptText ?? '1', 10) || 1));

      // Twilio repeats a request it thinks was lost: the caller is queued once, and hears the same conference.
      const known = await calls.findCall(callSid);
      if (known) return twiml(reply, queuedTwiml(config.publicUrl, known.conferenceName, 'chosen'));

      const digits = param(params, 'Digits');
      const chosen = queueForChoice({ digits, speech: param(params, 'SpeechResult') });
      if (!chosen && attempt < MENU_ATTEMPTS) {
        request.log.info({ callSid, attempt, input: digits ? 'keypad' : param(params, 'SpeechResult') ? 'speech' : 'none' }, 'menu choice not understood');
        return twiml(reply, repromptTwiml(config.publicUrl, attempt + 1));
      }
      const queueId = chosen ?? FALLBACK_QUEUE_ID;
      if (!(await calls.recordEvent(callSid, 'queued', queueId))) {
        // The same request is being handled right now; by the time Twilio follows this, it has been.
        return twiml(reply, `<?xml version="1.0" encoding="UTF-8"?><Response><Pause length="1"/><Redirect method="POST">${config.publicUrl}${twilioWebhookPaths.menu}?attempt=${attempt}</Redirect></Response>`);
      }
      let callId: string;
      try {
        callId = events.callerQueued({ provider: 'twilio', providerCallId: callSid, from: param(params, 'From') ?? '', queueId }).id;
      } catch (error) {
        request.log.error({ callSid, queueId, reason: error instanceof Error ? error.name : 'unknown' }, 'routing refused the call');
        return twiml(reply, sorryTwiml());
      }
      const record = await calls.saveCall({ providerCallId: callSid, callId, conferenceName: conferenceNameFor(callId), direction: 'inbound' });
      request.log.info({ callSid, callId, queueId, input: chosen ? (digits ? 'keypad' : 'speech') : 'fallback' }, 'caller queued');
      return twiml(reply, queuedTwiml(config.publicUrl, record.conferenceName, chosen ? 'chosen' : 'fallback'));
    });

    scope.post(twilioWebhookPaths.callStatus, async (request, reply) => {
      const given = need(paramsOf(request), reply, ['CallSid', 'CallStatus']);
      if (!given) return reply;
      const { CallSid: callSid, CallStatus: status } = given;
      const first = await calls.recordEvent(callSid, `call:${status}`, status);
      if (first && TERMINAL_CALL_STATUSES.has(status)) {
        // Only the caller's leg (a call the engine was told about) ends the call; a handler's leg ending does not.
        const callerLeg = await calls.findCall(callSid);
        if (callerLeg && (await calls.recordEvent(callSid, 'caller-ended', status))) {
          events.callerHungUp(callSid);
          request.log.info({ callSid, status }, 'caller leg ended');
        }
      }
      return reply.code(204).send();
    });

    scope.post(twilioWebhookPaths.conferenceStatus, async (request, reply) => {
      const params = paramsOf(request);
      const given = need(params, reply, ['ConferenceSid', 'FriendlyName', 'StatusCallbackEvent']);
      if (!given) return reply;
      const { ConferenceSid: conferenceSid, FriendlyName: name, StatusCallbackEvent: event } = given;
      const legSid = param(params, 'CallSid') ?? '';
      const key = param(params, 'SequenceNumber') ? `conference:${param(params, 'SequenceNumber')}` : `${event}:${legSid}`;
      if (!(await calls.recordEvent(conferenceSid, key, event))) return reply.code(204).send();
      const record = await calls.findByConferenceName(name);
      if (!record) return reply.code(204).send();
      if (!record.conferenceSid) await calls.setConferenceSid(name, conferenceSid);
      const label = param(params, 'ParticipantLabel');
      if (event === 'participant-join' && record.handlerId && label === participantLabels.handler(record.handlerId)) {
        if (legSid && legSid !== record.handlerCallSid) await calls.setHandler(record.providerCallId, record.handlerId, legSid);
        // The call's handler is on: a caller held through a transfer comes off hold to talk to them.
        try {
          await rest.updateParticipant(conferenceSid, participantLabels.caller, { hold: false });
        } catch (error) {
          request.log.warn({ conferenceSid, reason: error instanceof Error ? error.message : 'unknown' }, 'could not take the caller off hold');
        }
      }
      return reply.code(204).send();
    });

    scope.post(twilioWebhookPaths.holdMusic, async (_request, reply) => twiml(reply, holdMusicTwiml(config.holdMusicUrl)));
  });
}
