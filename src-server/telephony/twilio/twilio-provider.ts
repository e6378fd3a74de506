import { randomUUID } from 'node:crypto';
import type { Call } from '../../../src-shared/telephony/model';
import type { TelephonyProvider, TransferTarget } from '../provider';
import type { TwilioCallRecord, TwilioCallStore } from './twilio-call-store';
import type { TwilioConfig } from './twilio-config';
import type { AddParticipantOptions, TwilioRestClient } from './twilio-rest-client';
import { conferenceNameFor, twilioWebhookPaths } from './voice-menu';

/** Conference participant labels: Twilio lets a label stand for a leg's CallSid, so no SID has to be looked up. */
export const participantLabels = {
  caller: 'caller',
  handler: (handlerId: string) => `handler:${handlerId}`,
  consult: (handlerId: string) => `consult:${handlerId}`,
  supervisor: (supervisorId: string) => `supervisor:${supervisorId}`,
} as const;

/** Refused because the call is not in a state Twilio can act on; the routing engine reports it to the person. */
export class TwilioCallRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TwilioCallRefusal';
  }
}

/**
 * The softphone identity a leg rings, with the engine's call id as a custom parameter so the desktop can match the
 * ringing leg to the offer it accepted. Never the caller's number.
 */
function clientAddress(userId: string, callId: string | null): string {
  return callId ? `client:${userId}?callId=${encodeURIComponent(callId)}` : `client:${userId}`;
}

/**
 * The Twilio telephony provider. Every call is a conference named after the call: the caller waits in it, handlers
 * and supervisors are dialled into it, and hold, transfer and coaching are changes to its participants. The
 * conference's SID comes from Twilio's conference events (or, failing that, a lookup by name).
 */
export function createTwilioProvider(deps: { config: TwilioConfig; rest: TwilioRestClient; calls: TwilioCallStore; newId?: () => string }): TelephonyProvider {
  const { config, rest, calls } = deps;
  const newId = deps.newId ?? randomUUID;
  const link = (path: string) => `${config.publicUrl}${path}`;
  const legCallbacks = {
    statusCallback: link(twilioWebhookPaths.callStatus),
    statusCallbackMethod: 'POST',
    statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
    conferenceStatusCallback: link(twilioWebhookPaths.conferenceStatus),
    conferenceStatusCallbackMethod: 'POST',
    conferenceStatusCallbackEvent: ['start', 'end', 'join', 'leave', 'hold'],
  } satisfies Partial<AddParticipantOptions>;
  const holdMusic = { holdUrl: link(twilioWebhookPaths.holdMusic), holdMethod: 'POST' };

  async function recordFor(call: Call): Promise<TwilioCallRecord> {
    const record = await calls.findCall(call.providerCallId);
    if (!record) throw new TwilioCallRefusal('This call has no Twilio conference: it may have ended.');
    return record;
  }

  async function conferenceSidOf(record: TwilioCallRecord): Promise<string> {
    if (record.conferenceSid) return record.conferenceSid;
    const sid = await rest.findConferenceSid(record.conferenceName);
    if (!sid) throw new TwilioCallRefusal("The call's conference has not started yet. Try again in a moment.");
    await calls.setConferenceSid(record.conferenceName, sid);
    return sid;
  }

  async function dialHandler(conference: string, handlerId: string, callId: string | null, label: string) {
    return rest.addParticipant(conference, {
      from: config.callerId,
      to: clientAddress(handlerId, callId),
      label,
      timeout: 20,
      beep: 'false',
      startConferenceOnEnter: true,
      // A handler leaving (a transfer, a dropped headset) must not cut the caller off.
      endConferenceOnExit: false,
      ...legCallbacks,
    });
  }

  return {
    name: 'twilio',

    async connect(call, handlerId) {
      const record = await recordFor(call);
      const leg = await dialHandler(record.conferenceName, handlerId, call.id, participantLabels.handler(handlerId));
      await calls.setHandler(call.providerCallId, handlerId, leg.callSid);
      if (!record.conferenceSid && leg.conferenceSid) await calls.setConferenceSid(record.conferenceName, leg.conferenceSid);
    },

    async hold(call, on) {
      const sid = await conferenceSidOf(await recordFor(call));
      await rest.updateParticipant(sid, participantLabels.caller, on ? { hold: true, ...holdMusic } : { hold: false });
    },

    async hangUp(call) {
      await rest.endCall(call.providerCallId);
    },

    /**
     * The caller goes on hold with music first, so they never sit in silence. Cold: the current handler leaves and
     * the target handler is dialled in (the caller comes off hold when they join; see the conference webhook); to a
     * queue, the caller waits on hold until the engine connects the next handler. Warm: the target joins as a
     * consult while the caller holds; then `completeConsult` or `cancelConsult`.
     */
    async transfer(call: Call, target: TransferTarget, mode: 'cold' | 'warm') {
      if (mode === 'warm' && target.kind !== 'handler') throw new TwilioCallRefusal('A warm transfer needs a person to consult: choose a handler, or transfer cold to the queue.');
      const record = await recordFor(call);
      const sid = await conferenceSidOf(record);
      const current = call.handlerId ?? record.handlerId;
      await rest.updateParticipant(sid, participantLabels.caller, { hold: true, ...holdMusic });
      if (mode === 'warm' && target.kind === 'handler') {
        const leg = await dialHandler(sid, target.handlerId, call.id, participantLabels.consult(target.handlerId));
        await calls.setConsult(call.providerCallId, { handlerId: target.handlerId, callSid: leg.callSid });
        return;
      }
      if (current) await rest.removeParticipant(sid, participantLabels.handler(current));
      if (target.kind === 'handler') {
        const leg = await dialHandler(sid, target.handlerId, call.id, participantLabels.handler(target.handlerId));
        await calls.setHandler(call.providerCallId, target.handlerId, leg.callSid);
      }
    },

    /** The consulted colleague takes the caller: the first handler leaves and the caller comes off hold. */
    async completeConsult(call, toHandlerId) {
      const record = await recordFor(call);
      if (record.consultHandlerId !== toHandlerId || !record.consultCallSid) throw new TwilioCallRefusal('That colleague is not on a consult for this call.');
      const sid = await conferenceSidOf(record);
      const first = call.handlerId ?? record.handlerId;
      if (first) await rest.removeParticipant(sid, participantLabels.handler(first));
      await calls.setHandler(call.providerCallId, toHandlerId, record.consultCallSid);
      await calls.setConsult(call.providerCallId, null);
      await rest.updateParticipant(sid, participantLabels.caller, { hold: false });
    },

    /** The consult is called off: the colleague leaves; the caller stays on hold with the first handler. */
    async cancelConsult(call, consultedHandlerId) {
      const record = await recordFor(call);
      const sid = await conferenceSidOf(record);
      await rest.removeParticipant(sid, participantLabels.consult(consultedHandlerId));
      await calls.setConsult(call.providerCallId, null);
    },

    /**
     * An outbound call is a conference too, so hold and transfer work the same: the handler's softphone is dialled
     * first and starts the conference; the number is then dialled with the line's number as caller id and hears
     * hold music until the handler has answered.
     */
    async dialOut(handlerId, to) {
      const conferenceName = conferenceNameFor(`out-${newId()}`);
      const handlerLeg = await rest.addParticipant(conferenceName, {
        from: config.callerId,
        to: clientAddress(handlerId, null),
        label: participantLabels.handler(handlerId),
        timeout: 20,
        beep: 'false',
        startConferenceOnEnter: true,
        endConferenceOnExit: true,
        ...legCallbacks,
      });
      const customerLeg = await rest.addParticipant(conferenceName, {
        from: config.callerId,
        to,
        label: participantLabels.caller,
        timeout: 30,
        beep: 'false',
        startConferenceOnEnter: false,
        endConferenceOnExit: true,
        waitUrl: link(twilioWebhookPaths.holdMusic),
        waitMethod: 'POST',
        ...legCallbacks,
      });
      await calls.saveCall({
        providerCallId: customerLeg.callSid,
        callId: null,
        conferenceName,
        conferenceSid: customerLeg.conferenceSid || handlerLeg.conferenceSid || null,
        direction: 'outbound',
        handlerId,
        handlerCallSid: handlerLeg.callSid,
      });
      return { providerCallId: customerLeg.callSid };
    },

    /** Listen: a muted participant hears both sides. Whisper: a coach only the handler hears. */
    async monitor(call, supervisorId, mode) {
      const record = await recordFor(call);
      if (mode === 'whisper' && !record.handlerCallSid) throw new TwilioCallRefusal('No handler is on this call yet, so there is nobody to whisper to.');
      const sid = await conferenceSidOf(record);
      await rest.addParticipant(sid, {
        from: config.callerId,
        to: clientAddress(supervisorId, call.id),
        label: participantLabels.supervisor(supervisorId),
        timeout: 20,
        beep: 'false',
        startConferenceOnEnter: false,
        endConferenceOnExit: false,
        muted: mode === 'listen',
        ...(mode === 'whisper' ? { coaching: true, callSidToCoach: record.handlerCallSid! } : {}),
        ...legCallbacks,
      });
    },
  };
}
