import { describe, expect, it } from 'vitest';
import { createTwilioRestClient } from '../../../src-server/telephony/twilio/twilio-rest-client';
import { testTwilioConfig } from './twilio-harness';

interface SentRequest {
  method: string;
  uri: string;
  username: string;
  data?: Record<string, unknown>;
  params?: Record<string, unknown>;
}

/**
 * Twilio's cloud at the HTTP edge: the real `twilio` package builds and sends each request; this records it and
 * answers like the API would. Shows the wrapper reaches the endpoints Twilio documents, with the API key.
 */
function fakeTwilioHttp() {
  const sent: SentRequest[] = [];
  const httpClient = {
    async request(request: SentRequest) {
      sent.push({ method: request.method, uri: request.uri, username: request.username, ...(request.data ? { data: request.data } : {}), ...(request.params && Object.keys(request.params).length ? { params: request.params } : {}) });
      if (request.method === 'delete') return { statusCode: 204, body: '', headers: {} };
      if (request.uri.endsWith('/Conferences.json')) {
        return { statusCode: 200, body: JSON.stringify({ conferences: [{ sid: `CF${'e'.repeat(32)}`, friendly_name: 'cc-call-1' }], next_page_uri: null, page: 0, page_size: 1 }), headers: {} };
      }
      return { statusCode: 200, body: JSON.stringify({ call_sid: `CA${'f'.repeat(32)}`, conference_sid: `CF${'e'.repeat(32)}`, sid: `CA${'f'.repeat(32)}` }), headers: {} };
    },
  };
  return { httpClient, sent };
}

describe('the real Twilio REST client', () => {
  it('sends the documented requests, signed in with the API key, never the auth token', async () => {
    const cloud = fakeTwilioHttp();
    const rest = await createTwilioRestClient(testTwilioConfig, { httpClient: cloud.httpClient });
    const account = `https://api.twilio.com/2010-04-01/Accounts/${testTwilioConfig.accountSid}`;
    const conference = `CF${'e'.repeat(32)}`;

    expect(await rest.addParticipant('cc-call-1', { from: '+441134960000', to: 'client:h1', label: 'handler:h1', startConferenceOnEnter: true, statusCallbackEvent: ['answered', 'completed'] })).toEqual({
      callSid: `CA${'f'.repeat(32)}`,
      conferenceSid: conference,
    });
    await rest.updateParticipant(conference, 'caller', { hold: true, holdUrl: 'https://care-line.example.org/twilio/hold-music', holdMethod: 'POST' });
    await rest.updateParticipant(conference, 'caller', { coaching: true, callSidToCoach: `CA${'1'.repeat(32)}` });
    await rest.removeParticipant(conference, 'handler:h1');
    await rest.endCall(`CA${'2'.repeat(32)}`);
    expect(await rest.findConferenceSid('cc-call-1')).toBe(conference);

    expect(cloud.sent.map((r) => `${r.method.toUpperCase()} ${decodeURIComponent(r.uri.replace(account, ''))}`)).toEqual([
      'POST /Conferences/cc-call-1/Participants.json',
      `POST /Conferences/${conference}/Participants/caller.json`,
      `POST /Conferences/${conference}/Participants/caller.json`,
      `DELETE /Conferences/${conference}/Participants/handler:h1.json`,
      `POST /Calls/CA${'2'.repeat(32)}.json`,
      'GET /Conferences.json',
    ]);
    expect(cloud.sent.every((r) => r.username === testTwilioConfig.apiKeySid)).toBe(true);
    expect(cloud.sent[0]?.data).toMatchObject({ From: '+441134960000', To: 'client:h1', Label: 'handler:h1', StartConferenceOnEnter: 'true', StatusCallbackEvent: ['answered', 'completed'] });
    expect(cloud.sent[1]?.data).toMatchObject({ Hold: 'true', HoldMethod: 'POST' });
    expect(cloud.sent[2]?.data).toMatchObject({ Coaching: 'true', CallSidToCoach: `CA${'1'.repeat(32)}` });
    expect(cloud.sent[4]?.data).toEqual({ Status: 'completed' });
    expect(cloud.sent[5]?.params).toMatchObject({ FriendlyName: 'cc-call-1', Status: 'in-progress' });
  });
});
