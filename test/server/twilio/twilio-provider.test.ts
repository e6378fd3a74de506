import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CentralStore } from '../../../src-server/store/central-store';
import { openSqliteStore } from '../../../src-server/store/open-store';
import type { TelephonyProvider } from '../../../src-server/telephony/provider';
import { createTwilioCallStore, type TwilioCallStore } from '../../../src-server/telephony/twilio/twilio-call-store';
import { createTwilioProvider } from '../../../src-server/telephony/twilio/twilio-provider';
import { manualClock, tempDir } from '../../helpers';
import { callSid, engineCall, fakeRest, PUBLIC_URL, testTwilioConfig } from './twilio-harness';

const CONFERENCE_SID = `CF${'a'.repeat(32)}`;
const callbacks = {
  statusCallback: `${PUBLIC_URL}/twilio/call-status`,
  statusCallbackMethod: 'POST',
  statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
  conferenceStatusCallback: `${PUBLIC_URL}/twilio/conference-status`,
  conferenceStatusCallbackMethod: 'POST',
  conferenceStatusCallbackEvent: ['start', 'end', 'join', 'leave', 'hold'],
};

describe('the Twilio provider', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: CentralStore;
  let calls: TwilioCallStore;
  let cloud: ReturnType<typeof fakeRest>;
  let provider: TelephonyProvider;
  const caller = callSid(1);
  const call = engineCall('call-7', caller, { handlerId: 'handler-a', state: 'connected' });

  beforeEach(async () => {
    dir = tempDir();
    const clock = manualClock();
    store = await openSqliteStore(join(dir.path, 'central.sqlite3'), clock);
    calls = createTwilioCallStore(store.db, clock);
    cloud = fakeRest();
    provider = createTwilioProvider({ config: testTwilioConfig, rest: cloud.rest, calls, newId: () => 'fixed-id' });
    // The voice webhook has queued the caller in their conference, and Twilio has reported the conference's SID.
    await calls.saveCall({ providerCallId: caller, callId: call.id, conferenceName: 'cc-call-7', direction: 'inbound' });
  });
  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  it('connects a handler by dialling their softphone into the call’s conference, and remembers their leg', async () => {
    await provider.connect(call, 'handler-a');
    expect(cloud.requests).toEqual([
      {
        op: 'addParticipant',
        conference: 'cc-call-7',
        options: {
          from: testTwilioConfig.callerId,
          to: 'client:handler-a?callId=call-7',
          label: 'handler:handler-a',
          timeout: 20,
          beep: 'false',
          startConferenceOnEnter: true,
          endConferenceOnExit: false,
          ...callbacks,
        },
      },
    ]);
    expect(await calls.findCall(caller)).toMatchObject({ handlerId: 'handler-a', handlerCallSid: expect.stringMatching(/^CA/), conferenceSid: CONFERENCE_SID });
  });

  it('holds and resumes the caller with hold music, finding the conference by name when its SID is not known yet', async () => {
    await provider.hold(call, true);
    await provider.hold(call, false);
    expect(cloud.requests).toEqual([
      { op: 'findConferenceSid', friendlyName: 'cc-call-7' },
      { op: 'updateParticipant', conferenceSid: CONFERENCE_SID, participant: 'caller', options: { hold: true, holdUrl: `${PUBLIC_URL}/twilio/hold-music`, holdMethod: 'POST' } },
      { op: 'updateParticipant', conferenceSid: CONFERENCE_SID, participant: 'caller', options: { hold: false } },
    ]);
  });

  it('refuses to act on a conference that has not started, without touching the call', async () => {
    const notStarted = fakeRest({ conferenceSid: null });
    const early = createTwilioProvider({ config: testTwilioConfig, rest: notStarted.rest, calls });
    await expect(early.hold(call, true)).rejects.toThrow(/has not started yet/);
    expect(notStarted.requests.filter((r) => r.op !== 'findConferenceSid')).toEqual([]);
  });

  it('hangs up by ending the caller’s leg', async () => {
    await provider.hangUp(call);
    expect(cloud.requests).toEqual([{ op: 'endCall', callSid: caller }]);
  });

  it('transfers cold to a handler: the caller holds with music, the first handler leaves, the second is dialled in', async () => {
    await calls.setConferenceSid('cc-call-7', CONFERENCE_SID);
    await provider.transfer(call, { kind: 'handler', handlerId: 'handler-b' }, 'cold');
    expect(cloud.requests.map((r) => [r.op, 'participant' in r ? r.participant : 'options' in r && 'label' in r.options ? r.options.label : ''])).toEqual([
      ['updateParticipant', 'caller'],
      ['removeParticipant', 'handler:handler-a'],
      ['addParticipant', 'handler:handler-b'],
    ]);
    expect(cloud.requests[0]).toMatchObject({ options: { hold: true } });
    expect(cloud.requests[2]).toMatchObject({ conference: CONFERENCE_SID, options: { to: 'client:handler-b?callId=call-7', endConferenceOnExit: false } });
    expect((await calls.findCall(caller))?.handlerId).toBe('handler-b');
  });

  it('transfers cold to a queue: the caller holds with music and the handler leaves; nobody is dialled yet', async () => {
    await calls.setConferenceSid('cc-call-7', CONFERENCE_SID);
    await provider.transfer(call, { kind: 'queue', queueId: 'concern' }, 'cold');
    expect(cloud.requests.map((r) => r.op)).toEqual(['updateParticipant', 'removeParticipant']);
  });

  it('transfers warm: the caller holds while a colleague joins to consult, and the first handler stays', async () => {
    await calls.setConferenceSid('cc-call-7', CONFERENCE_SID);
    await provider.transfer(call, { kind: 'handler', handlerId: 'handler-b' }, 'warm');
    expect(cloud.requests.map((r) => r.op)).toEqual(['updateParticipant', 'addParticipant']);
    expect(cloud.requests[1]).toMatchObject({ options: { label: 'consult:handler-b', to: 'client:handler-b?callId=call-7' } });
    await expect(provider.transfer(call, { kind: 'queue', queueId: 'general' }, 'warm')).rejects.toThrow(/needs a person to consult/);
  });

  it('completes a warm transfer: the first handler leaves, the caller comes off hold with the colleague, who can then be coached', async () => {
    await calls.setConferenceSid('cc-call-7', CONFERENCE_SID);
    await provider.transfer(call, { kind: 'handler', handlerId: 'handler-b' }, 'warm');
    const consultLeg = (await calls.findCall(caller))!.consultCallSid;
    cloud.requests.length = 0;
    await expect(provider.completeConsult!(call, 'handler-c')).rejects.toThrow(/not on a consult/);
    await provider.completeConsult!(call, 'handler-b');
    expect(cloud.requests).toEqual([
      { op: 'removeParticipant', conferenceSid: CONFERENCE_SID, participant: 'handler:handler-a' },
      { op: 'updateParticipant', conferenceSid: CONFERENCE_SID, participant: 'caller', options: { hold: false } },
    ]);
    expect(await calls.findCall(caller)).toMatchObject({ handlerId: 'handler-b', handlerCallSid: consultLeg, consultHandlerId: null });
    await provider.monitor({ ...call, handlerId: 'handler-b' }, 'supervisor-s', 'whisper');
    expect(cloud.requests.at(-1)).toMatchObject({ options: { coaching: true, callSidToCoach: consultLeg } });
  });

  it('calls off a warm transfer: the colleague leaves and the caller stays on hold with the first handler', async () => {
    await calls.setConferenceSid('cc-call-7', CONFERENCE_SID);
    await provider.transfer(call, { kind: 'handler', handlerId: 'handler-b' }, 'warm');
    cloud.requests.length = 0;
    await provider.cancelConsult!(call, 'handler-b');
    expect(cloud.requests).toEqual([{ op: 'removeParticipant', conferenceSid: CONFERENCE_SID, participant: 'consult:handler-b' }]);
    expect(await calls.findCall(caller)).toMatchObject({ handlerId: null, consultHandlerId: null });
  });

  it('dials out from the handler’s softphone with the line’s number as caller id, in a conference of its own', async () => {
    const { providerCallId } = await provider.dialOut('handler-a', '+447400123456');
    expect(cloud.requests).toEqual([
      {
        op: 'addParticipant',
        conference: 'cc-out-fixed-id',
        options: { from: testTwilioConfig.callerId, to: 'client:handler-a', label: 'handler:handler-a', timeout: 20, beep: 'false', startConferenceOnEnter: true, endConferenceOnExit: true, ...callbacks },
      },
      {
        op: 'addParticipant',
        conference: 'cc-out-fixed-id',
        options: {
          from: testTwilioConfig.callerId,
          to: '+447400123456',
          label: 'caller',
          timeout: 30,
          beep: 'false',
          startConferenceOnEnter: false,
          endConferenceOnExit: true,
          waitUrl: `${PUBLIC_URL}/twilio/hold-music`,
          waitMethod: 'POST',
          ...callbacks,
        },
      },
    ]);
    expect(await calls.findCall(providerCallId)).toMatchObject({ direction: 'outbound', conferenceName: 'cc-out-fixed-id', handlerId: 'handler-a' });
    // The outbound call holds like any other.
    await provider.hold(engineCall('call-8', providerCallId, { direction: 'outbound' }), true);
    expect(cloud.requests.at(-1)).toMatchObject({ op: 'updateParticipant', participant: 'caller', options: { hold: true } });
  });

  it('lets a supervisor listen muted, or whisper as a coach only the handler hears', async () => {
    await expect(provider.monitor(call, 'supervisor-s', 'whisper')).rejects.toThrow(/nobody to whisper to/);
    await provider.connect(call, 'handler-a');
    const handlerLeg = (await calls.findCall(caller))!.handlerCallSid!;
    cloud.requests.length = 0;
    await provider.monitor(call, 'supervisor-s', 'listen');
    await provider.monitor(call, 'supervisor-s', 'whisper');
    expect(cloud.requests[0]).toMatchObject({ op: 'addParticipant', conference: CONFERENCE_SID, options: { to: 'client:supervisor-s?callId=call-7', label: 'supervisor:supervisor-s', muted: true, startConferenceOnEnter: false, endConferenceOnExit: false } });
    expect(cloud.requests[0]).not.toMatchObject({ options: { coaching: true } });
    expect(cloud.requests[1]).toMatchObject({ op: 'addParticipant', options: { muted: false, coaching: true, callSidToCoach: handlerLeg } });
  });

  it('refuses a call it has no conference for', async () => {
    await expect(provider.connect(engineCall('call-9', callSid(99)), 'handler-a')).rejects.toThrow(/no Twilio conference/);
    expect(cloud.requests).toEqual([]);
  });
});
