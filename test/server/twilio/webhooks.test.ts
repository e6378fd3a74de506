import { request as httpRequest } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callSid, PUBLIC_URL, startTwilioApi, twilioSignature, type TwilioHarness } from './twilio-harness';

const CALLER = '+447400123456';

function incoming(sid: string, extra: Record<string, string> = {}): Record<string, string> {
  return { AccountSid: `AC${'1'.repeat(32)}`, CallSid: sid, From: CALLER, To: '+441134960000', CallStatus: 'ringing', Direction: 'inbound', ...extra };
}

/** Everything the API did that a caller or the engine would notice. */
async function sideEffects(api: TwilioHarness, sid: string) {
  return { queued: api.engine.queued.length, hungUp: api.engine.hungUp.length, events: await api.calls.eventsFor(sid), call: await api.calls.findCall(sid) };
}

describe('Twilio webhooks', () => {
  let api: TwilioHarness;
  beforeEach(async () => {
    api = await startTwilioApi();
  });
  afterEach(async () => {
    await api.close();
  });

  describe('signature check against the configured public URL', () => {
    it('accepts a request Twilio signed for the public URL, though it arrived on loopback', async () => {
      const response = await api.webhook('/twilio/voice', incoming(callSid(1)));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/xml');
    });

    it('refuses a tampered parameter, an added parameter and a missing signature with 403 and does nothing', async () => {
      const sid = callSid(2);
      const params = incoming(sid, { Digits: '1' });
      const good = twilioSignature(`${PUBLIC_URL}/twilio/voice/menu?attempt=1`, params);
      const before = await sideEffects(api, sid);

      const tampered = await api.webhook('/twilio/voice/menu?attempt=1', { ...params, Digits: '3' }, { signature: good });
      const added = await api.webhook('/twilio/voice/menu?attempt=1', { ...params, Extra: 'x' }, { signature: good });
      const missing = await api.webhook('/twilio/voice/menu?attempt=1', params, { signature: null });
      const otherQuery = await api.webhook('/twilio/voice/menu?attempt=2', params, { signature: good });

      for (const response of [tampered, added, missing, otherQuery]) {
        expect(response.status).toBe(403);
        expect(response.headers.get('content-type')).toContain('application/problem+json');
      }
      expect(await sideEffects(api, sid)).toEqual(before);
      expect(api.engine.queued).toEqual([]);
      // The same request, correctly signed, does queue the caller: the refusals were about the signature alone.
      expect((await api.webhook('/twilio/voice/menu?attempt=1', params, { signature: good })).status).toBe(200);
      expect(api.engine.queued).toHaveLength(1);
    });

    it('refuses a signature computed for http:// when the public URL is https://', async () => {
      const sid = callSid(3);
      const params = incoming(sid, { CallStatus: 'completed' });
      const overHttp = twilioSignature(`${PUBLIC_URL.replace('https://', 'http://')}/twilio/call-status`, params);
      const response = await api.webhook('/twilio/call-status', params, { signature: overHttp });
      expect(response.status).toBe(403);
      expect(await api.calls.eventsFor(sid)).toEqual([]);
    });

    it('refuses a status callback signed with another auth token and records nothing', async () => {
      const sid = callSid(4);
      const params = incoming(sid, { CallStatus: 'completed' });
      const response = await api.webhook('/twilio/call-status', params, { signature: twilioSignature(`${PUBLIC_URL}/twilio/call-status`, params, 'someone-elses-token-000000') });
      expect(response.status).toBe(403);
      expect(await api.calls.eventsFor(sid)).toEqual([]);
    });

    it('ignores the Host header: a signature for the sender’s own host is refused, one for the public URL accepted whatever Host says', async () => {
      const port = new URL(api.base).port;
      const send = (host: string, signature: string, params: Record<string, string>) =>
        new Promise<number>((resolve, reject) => {
          const body = new URLSearchParams(params).toString();
          const req = httpRequest(
            { host: '127.0.0.1', port, path: '/twilio/call-status', method: 'POST', headers: { host, 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature, 'content-length': Buffer.byteLength(body) } },
            (res) => {
              res.resume();
              res.on('end', () => resolve(res.statusCode ?? 0));
            },
          );
          req.on('error', reject);
          req.end(body);
        });
      const forged = incoming(callSid(5), { CallStatus: 'completed' });
      const forgedStatus = await send('attacker.example', twilioSignature('https://attacker.example/twilio/call-status', forged), forged);
      expect(forgedStatus).toBe(403);
      expect(await api.calls.eventsFor(callSid(5))).toEqual([]);

      const genuine = incoming(callSid(6), { CallStatus: 'ringing' });
      const genuineStatus = await send('attacker.example', twilioSignature(`${PUBLIC_URL}/twilio/call-status`, genuine), genuine);
      expect(genuineStatus).toBe(204);
      expect(await api.calls.eventsFor(callSid(6))).toEqual([{ key: 'call:ringing', status: 'ringing' }]);
    });

    it('accepts only Twilio’s form bodies on its own routes, and leaves the rest of the API on JSON', async () => {
      const response = await api.call('POST', '/auth/sign-in', { rawBody: 'email=a%40b.c&password=x', contentType: 'application/x-www-form-urlencoded' });
      expect(response.status).toBe(415);
    });
  });

  describe('the voice menu', () => {
    it('greets the caller, gives the recording notice and offers the four choices by keypad or voice', async () => {
      const xml = await (await api.webhook('/twilio/voice', incoming(callSid(10)))).text();
      expect(xml).toContain('Thank you for calling Care Connect');
      expect(xml).toMatch(/may be recorded for quality and training/);
      expect(xml).toMatch(/<Gather[^>]*input="dtmf speech"/);
      expect(xml).toMatch(/<Gather[^>]*hints="[^"]*feedback[^"]*question[^"]*concern/);
      expect(xml).toContain(`action="${PUBLIC_URL}/twilio/voice/menu?attempt=1"`);
      for (const [digit, words] of [
        ['1', 'feedback'],
        ['2', 'question'],
        ['3', 'concern'],
        ['4', 'general'],
      ]) {
        expect(xml).toContain(`press ${digit} or say ${words}`);
      }
      // Silence falls through the <Gather> to the menu, which re-prompts.
      expect(xml).toContain(`<Redirect method="POST">${PUBLIC_URL}/twilio/voice/menu?attempt=1</Redirect>`);
      expect(xml).not.toContain(CALLER);
      expect(api.engine.queued).toEqual([]);
    });

    it.each([
      [{ Digits: '1' }, 'feedback'],
      [{ Digits: '2' }, 'question'],
      [{ Digits: '3' }, 'concern'],
      [{ Digits: '4' }, 'general'],
      [{ SpeechResult: 'I want to give some feedback.' }, 'feedback'],
      [{ SpeechResult: 'I have a question about my prescription' }, 'question'],
      [{ SpeechResult: "I'm worried about my mum's care" }, 'concern'],
      [{ SpeechResult: 'A complaint about feedback I gave' }, 'concern'],
      [{ SpeechResult: 'general enquiry please' }, 'general'],
    ])('queues a caller who chose %o on the %s queue, in a conference of their own', async (choice, queueId) => {
      const sid = callSid(20);
      const response = await api.webhook('/twilio/voice/menu?attempt=1', incoming(sid, choice));
      const xml = await response.text();
      expect(api.engine.queued).toEqual([{ provider: 'twilio', providerCallId: sid, from: CALLER, queueId }]);
      expect(xml).toContain('<Conference');
      expect(xml).toContain('>cc-call-1</Conference>');
      expect(xml).toContain('startConferenceOnEnter="false"');
      expect(xml).toContain('endConferenceOnExit="true"');
      expect(xml).toContain('participantLabel="caller"');
      expect(xml).toContain(`waitUrl="${PUBLIC_URL}/twilio/hold-music"`);
      expect(xml).toContain(`statusCallback="${PUBLIC_URL}/twilio/conference-status"`);
      expect(xml).toMatch(/statusCallbackEvent="start end join leave hold"/);
      expect(await api.calls.findCall(sid)).toMatchObject({ callId: 'call-1', conferenceName: 'cc-call-1', direction: 'inbound' });
    });

    it('re-prompts once on no input or no match, then puts the caller through to general enquiries', async () => {
      const sid = callSid(30);
      const first = await (await api.webhook('/twilio/voice/menu?attempt=1', incoming(sid))).text();
      expect(first).toContain("Sorry, I didn't catch that.");
      expect(first).toContain(`action="${PUBLIC_URL}/twilio/voice/menu?attempt=2"`);
      expect(api.engine.queued).toEqual([]);

      const second = await (await api.webhook('/twilio/voice/menu?attempt=2', incoming(sid, { SpeechResult: 'banana' }))).text();
      expect(second).toContain('general enquiries');
      expect(second).toContain('<Conference');
      expect(api.engine.queued.map((q) => q.queueId)).toEqual(['general']);
    });

    it('treats a key that is not on the menu as no match', async () => {
      const xml = await (await api.webhook('/twilio/voice/menu?attempt=1', incoming(callSid(31), { Digits: '9' }))).text();
      expect(xml).toContain("Sorry, I didn't catch that.");
      expect(api.engine.queued).toEqual([]);
    });

    it('queues a caller once when Twilio repeats the menu request', async () => {
      const sid = callSid(32);
      const first = await (await api.webhook('/twilio/voice/menu?attempt=1', incoming(sid, { Digits: '2' }))).text();
      const again = await (await api.webhook('/twilio/voice/menu?attempt=1', incoming(sid, { Digits: '2' }))).text();
      expect(api.engine.queued).toHaveLength(1);
      expect(again).toContain('>cc-call-1</Conference>');
      expect(first).toContain('>cc-call-1</Conference>');
    });

    it('plays hold music from the configured file', async () => {
      const xml = await (await api.webhook('/twilio/hold-music', {})).text();
      expect(xml).toContain('<Play loop="0">https://music.example.org/hold.mp3</Play>');
    });
  });

  describe('status callbacks', () => {
    async function queue(sid: string) {
      await api.webhook('/twilio/voice/menu?attempt=1', incoming(sid, { Digits: '1' }));
    }

    it('records each status once though Twilio repeats it', async () => {
      const sid = callSid(40);
      await queue(sid);
      for (const status of ['ringing', 'in-progress', 'in-progress', 'ringing', 'in-progress']) {
        expect((await api.webhook('/twilio/call-status', incoming(sid, { CallStatus: status }))).status).toBe(204);
      }
      const events = await api.calls.eventsFor(sid);
      expect(events.filter((e) => e.key.startsWith('call:')).map((e) => e.status).sort()).toEqual(['in-progress', 'ringing']);
      expect(api.engine.hungUp).toEqual([]);
    });

    it('tells the engine once that a queued caller hung up, however often and however Twilio reports it', async () => {
      const sid = callSid(41);
      await queue(sid);
      await api.webhook('/twilio/call-status', incoming(sid, { CallStatus: 'completed' }));
      await api.webhook('/twilio/call-status', incoming(sid, { CallStatus: 'completed' }));
      await api.webhook('/twilio/call-status', incoming(sid, { CallStatus: 'no-answer' }));
      expect(api.engine.hungUp).toEqual([sid]);
    });

    it.each(['no-answer', 'busy', 'failed'])('counts a %s on the caller’s leg as the caller gone', async (status) => {
      const sid = callSid(42);
      await queue(sid);
      await api.webhook('/twilio/call-status', incoming(sid, { CallStatus: status }));
      expect(api.engine.hungUp).toEqual([sid]);
    });

    it('does not tell the engine about a caller who hung up in the menu, before it knew of them, or about a handler’s leg', async () => {
      await api.webhook('/twilio/call-status', incoming(callSid(43), { CallStatus: 'completed' }));
      expect(api.engine.hungUp).toEqual([]);
      expect(await api.calls.eventsFor(callSid(43))).toEqual([{ key: 'call:completed', status: 'completed' }]);
    });

    it('learns the conference’s SID from its events, once per sequence number, and takes the caller off hold when the call’s handler joins', async () => {
      const sid = callSid(44);
      await queue(sid);
      await api.calls.setHandler(sid, api.users.handler.id, null);
      const conferenceSid = `CF${'c'.repeat(32)}`;
      const base = { AccountSid: `AC${'1'.repeat(32)}`, ConferenceSid: conferenceSid, FriendlyName: 'cc-call-1' };
      await api.webhook('/twilio/conference-status', { ...base, StatusCallbackEvent: 'participant-join', CallSid: sid, ParticipantLabel: 'caller', SequenceNumber: '1' });
      expect((await api.calls.findCall(sid))?.conferenceSid).toBe(conferenceSid);
      expect(api.cloud.requests).toEqual([]);

      const handlerLeg = callSid(45);
      const join = { ...base, StatusCallbackEvent: 'participant-join', CallSid: handlerLeg, ParticipantLabel: `handler:${api.users.handler.id}`, SequenceNumber: '2' };
      await api.webhook('/twilio/conference-status', join);
      await api.webhook('/twilio/conference-status', join);
      expect(api.cloud.requests).toEqual([{ op: 'updateParticipant', conferenceSid, participant: 'caller', options: { hold: false } }]);
      expect((await api.calls.findCall(sid))?.handlerCallSid).toBe(handlerLeg);
      expect((await api.calls.eventsFor(conferenceSid)).map((e) => e.key)).toEqual(['conference:1', 'conference:2']);
    });

    it('does not take the caller off hold when a colleague joins to consult', async () => {
      const sid = callSid(46);
      await queue(sid);
      await api.calls.setHandler(sid, api.users.handler.id, callSid(47));
      await api.webhook('/twilio/conference-status', {
        ConferenceSid: `CF${'d'.repeat(32)}`,
        FriendlyName: 'cc-call-1',
        StatusCallbackEvent: 'participant-join',
        CallSid: callSid(48),
        ParticipantLabel: `consult:${api.users.otherHandler.id}`,
        SequenceNumber: '3',
      });
      expect(api.cloud.requests).toEqual([]);
    });
  });

  it('never writes the caller’s number or what they said to the log', async () => {
    const sid = callSid(50);
    const words = 'my consultant at Northbridge was rude';
    await api.webhook('/twilio/voice', incoming(sid));
    await api.webhook('/twilio/voice/menu?attempt=1', incoming(sid, { SpeechResult: words }));
    await api.webhook('/twilio/voice/menu?attempt=2', incoming(sid, { SpeechResult: `${words}, a concern` }));
    await api.webhook('/twilio/voice/menu?attempt=1', incoming(callSid(51), { SpeechResult: words }), { signature: 'forged' });
    await api.webhook('/twilio/call-status', incoming(sid, { CallStatus: 'completed' }));
    const text = api.log.text();
    expect(api.engine.queued).toHaveLength(1);
    expect(text).toContain('caller queued');
    expect(text).toContain('twilio webhook refused');
    for (const secret of [CALLER, CALLER.slice(1), '7400123456', 'Northbridge', 'rude', 'consultant']) expect(text).not.toContain(secret);
  });
});
