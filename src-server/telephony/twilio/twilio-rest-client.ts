import type { ParticipantContextUpdateOptions, ParticipantListInstanceCreateOptions } from 'twilio/lib/rest/api/v2010/account/conference/participant';
import type { TwilioConfig } from './twilio-config';

/** What the provider may ask when adding someone to a conference: the subset of Twilio's own options it uses. */
export type AddParticipantOptions = Pick<
  ParticipantListInstanceCreateOptions,
  | 'from'
  | 'to'
  | 'label'
  | 'timeout'
  | 'muted'
  | 'beep'
  | 'startConferenceOnEnter'
  | 'endConferenceOnExit'
  | 'earlyMedia'
  | 'waitUrl'
  | 'waitMethod'
  | 'coaching'
  | 'callSidToCoach'
  | 'statusCallback'
  | 'statusCallbackMethod'
  | 'statusCallbackEvent'
  | 'conferenceStatusCallback'
  | 'conferenceStatusCallbackMethod'
  | 'conferenceStatusCallbackEvent'
>;

export type UpdateParticipantOptions = Pick<ParticipantContextUpdateOptions, 'hold' | 'holdUrl' | 'holdMethod' | 'muted' | 'coaching' | 'callSidToCoach'>;

/**
 * The few Twilio REST operations the provider needs. The real one wraps the `twilio` package's client; tests use
 * a fake that records requests, since Twilio's cloud cannot be reached from a test.
 */
export interface TwilioRestClient {
  /**
   * Dials someone into a conference. `conference` may be the conference's friendly name: Twilio then creates the
   * conference if it does not exist yet.
   */
  addParticipant(conference: string, options: AddParticipantOptions): Promise<{ callSid: string; conferenceSid: string }>;
  /** Changes a participant, named by their leg's CallSid or their label. Needs the conference's SID. */
  updateParticipant(conferenceSid: string, participant: string, options: UpdateParticipantOptions): Promise<void>;
  /** Takes a participant (CallSid or label) out of the conference; their leg ends. */
  removeParticipant(conferenceSid: string, participant: string): Promise<void>;
  /** Ends a call leg. */
  endCall(callSid: string): Promise<void>;
  /** The SID of the conference in progress with this name, or null. */
  findConferenceSid(friendlyName: string): Promise<string | null>;
}

/**
 * The real client: the `twilio` package, authenticated with the API key (never the auth token, which only checks
 * webhooks). The package is loaded here only, so a line on the simulator never loads it. `httpClient` lets a test
 * watch the real HTTP requests the package would send.
 */
export async function createTwilioRestClient(config: TwilioConfig, options: { httpClient?: unknown } = {}): Promise<TwilioRestClient> {
  const { default: twilio } = await import('twilio');
  const client = twilio(config.apiKeySid, config.apiKeySecret, {
    accountSid: config.accountSid,
    autoRetry: true,
    maxRetries: 3,
    ...(options.httpClient ? { httpClient: options.httpClient as never } : {}),
  });
  return {
    async addParticipant(conference, participant) {
      const created = await client.conferences(conference).participants.create(participant);
      return { callSid: created.callSid, conferenceSid: created.conferenceSid };
    },
    async updateParticipant(conferenceSid, participant, update) {
      await client.conferences(conferenceSid).participants(participant).update(update);
    },
    async removeParticipant(conferenceSid, participant) {
      await client.conferences(conferenceSid).participants(participant).remove();
    },
    async endCall(callSid) {
      await client.calls(callSid).update({ status: 'completed' });
    },
    async findConferenceSid(friendlyName) {
      const found = await client.conferences.list({ friendlyName, status: 'in-progress', limit: 1 });
      return found[0]?.sid ?? null;
    },
  };
}
