import VoiceResponse from 'twilio/lib/twiml/VoiceResponse';

/** Where Twilio reaches the API's webhooks, relative to the configured public URL. */
export const twilioWebhookPaths = {
  /** The number's "a call comes in" webhook. */
  voice: '/twilio/voice',
  /** Where the menu's <Gather> posts the caller's choice. */
  menu: '/twilio/voice/menu',
  /** The number's and every REST-created leg's call status callback. */
  callStatus: '/twilio/call-status',
  /** Conference events (start, end, join, leave, hold…) of every call's conference. */
  conferenceStatus: '/twilio/conference-status',
  /** TwiML that plays the hold music, for a waiting caller and a caller on hold. */
  holdMusic: '/twilio/hold-music',
} as const;

/** The menu a caller hears, in order: each option's key, the queue it leads to and the words that choose it. */
export const voiceMenu = [
  { digit: '1', queueId: 'feedback', label: 'give feedback', words: ['feedback', 'compliment', 'praise', 'thank', 'one'] },
  { digit: '2', queueId: 'question', label: 'ask a question', words: ['question', 'ask', 'two'] },
  { digit: '3', queueId: 'concern', label: 'raise a concern', words: ['concern', 'concerned', 'worried', 'complaint', 'complain', 'problem', 'three'] },
  { digit: '4', queueId: 'general', label: 'for anything else', words: ['general', 'enquiry', 'inquiry', 'else', 'other', 'four'] },
] as const;

/** Where a caller goes when the menu has not understood them twice: a person sorts it out. */
export const FALLBACK_QUEUE_ID = 'general';
/** The menu is offered once and re-offered once; then the caller goes to {@link FALLBACK_QUEUE_ID}. */
export const MENU_ATTEMPTS = 2;

const LANGUAGE = 'en-GB';
/** Checked in this order, so "a concern about feedback I gave" reaches the concerns queue, which is the urgent one. */
const SPEECH_PRIORITY = ['concern', 'question', 'feedback', 'general'] as const;

/** The queue a caller chose by key or by voice, or null when the input means none of them. */
export function queueForChoice(input: { digits?: string | undefined; speech?: string | undefined }): string | null {
  const digits = input.digits?.trim();
  if (digits) return voiceMenu.find((option) => option.digit === digits)?.queueId ?? null;
  const words = new Set((input.speech ?? '').toLowerCase().match(/[a-z]+/g) ?? []);
  if (!words.size) return null;
  for (const queueId of SPEECH_PRIORITY) {
    const option = voiceMenu.find((candidate) => candidate.queueId === queueId)!;
    if (option.words.some((word) => words.has(word))) return queueId;
  }
  return null;
}

/** The name of a call's conference: one per call, derived from the engine's call id so every leg can find it. */
export function conferenceNameFor(callId: string): string {
  return `cc-${callId}`;
}

function url(publicUrl: string, path: string): string {
  return `${publicUrl}${path}`;
}

function gather(response: VoiceResponse, publicUrl: string, attempt: number): void {
  const action = url(publicUrl, `${twilioWebhookPaths.menu}?attempt=${attempt}`);
  const menu = response.gather({
    input: ['dtmf', 'speech'],
    numDigits: 1,
    timeout: 6,
    speechTimeout: 'auto',
    language: LANGUAGE,
    hints: 'feedback, question, concern, complaint, compliment, general enquiry',
    action,
    method: 'POST',
  });
  for (const option of voiceMenu) menu.say({ language: LANGUAGE }, `To ${option.label}, press ${option.digit} or say ${option.words[0]}.`);
  // No input at all: Twilio moves past the <Gather>; the menu handler treats an empty choice as "no input".
  response.redirect({ method: 'POST' }, action);
}

/** The first answer to a call: greeting, the recording notice and the menu. */
export function greetingTwiml(publicUrl: string): string {
  const response = new VoiceResponse();
  response.say({ language: LANGUAGE }, 'Thank you for calling Care Connect, the patient feedback and enquiry line.');
  response.say({ language: LANGUAGE }, 'Calls may be recorded for quality and training purposes.');
  gather(response, publicUrl, 1);
  return response.toString();
}

/** The menu again, after no input or an answer that matched no option. */
export function repromptTwiml(publicUrl: string, attempt: number): string {
  const response = new VoiceResponse();
  response.say({ language: LANGUAGE }, "Sorry, I didn't catch that.");
  gather(response, publicUrl, attempt);
  return response.toString();
}

/**
 * The caller waits in their call's conference with hold music until a handler joins: the caller does not start the
 * conference (a handler's leg does), and ends it on leaving so nobody is left in an empty room. Conference events
 * come back so the API learns the conference's SID and who joined.
 */
export function queuedTwiml(publicUrl: string, conferenceName: string, note: 'chosen' | 'fallback'): string {
  const response = new VoiceResponse();
  response.say(
    { language: LANGUAGE },
    note === 'fallback' ? "I'll put you through to our general enquiries team." : 'Thank you. Please hold while we connect you to the next available person.',
  );
  const dial = response.dial();
  dial.conference(
    {
      startConferenceOnEnter: false,
      endConferenceOnExit: true,
      beep: 'false',
      participantLabel: 'caller',
      waitUrl: url(publicUrl, twilioWebhookPaths.holdMusic),
      waitMethod: 'POST',
      statusCallback: url(publicUrl, twilioWebhookPaths.conferenceStatus),
      statusCallbackMethod: 'POST',
      statusCallbackEvent: ['start', 'end', 'join', 'leave', 'hold'],
    },
    conferenceName,
  );
  return response.toString();
}

/** Plays the hold music until the caller is taken off hold or a handler joins. */
export function holdMusicTwiml(holdMusicUrl: string): string {
  const response = new VoiceResponse();
  response.play({ loop: 0 }, holdMusicUrl);
  return response.toString();
}

/** A polite end for a request that cannot be served (the engine refused the call, say). */
export function sorryTwiml(): string {
  const response = new VoiceResponse();
  response.say({ language: LANGUAGE }, 'Sorry, we cannot take your call just now. Please try again later.');
  response.hangup();
  return response.toString();
}
