import type { QualityWarning } from './softphone';

/**
 * The Twilio SDK's call-quality warning names (see Voice Insights "SDK call quality events"), in words a handler can
 * act on mid-call. A name not listed still gets a sentence, so a new SDK warning is never silent.
 */
const WARNING_MESSAGES: Record<string, string> = {
  'high-rtt': 'The line is slow: there may be a delay before the caller hears you.',
  'high-jitter': 'The line is unsteady: the caller may sound choppy.',
  'high-packet-loss': 'The line is losing sound: parts of the call may cut out.',
  'high-packets-lost-fraction': 'The line is losing sound: parts of the call may cut out.',
  'low-mos': 'Call quality is poor. If the caller cannot hear you, offer to call them back.',
  'constant-audio-input-level': 'Your microphone is not picking anything up. Check it is plugged in and not muted.',
  'constant-audio-output-level': 'No sound is coming from the caller. Check your headset or speaker.',
  'low-bytes-received': 'No sound is arriving from the caller. Your network may have dropped.',
  'low-bytes-sent': 'Your voice is not being sent. Your network may have dropped.',
  'ice-connectivity-lost': 'The call lost its connection and is trying to reconnect.',
};

export function describeQualityWarning(name: string): QualityWarning {
  return { name, message: WARNING_MESSAGES[name] ?? 'There is a problem with the call quality.' };
}

/**
 * Twilio error codes a handler may meet, in plain words. Codes from https://www.twilio.com/docs/api/errors; the
 * rest fall back to a sentence that names the code for support.
 */
export function describeTwilioError(error: { code?: number; message?: string } | null | undefined): string {
  switch (error?.code) {
    case 31401:
    case 31208:
      return 'The app may not use your microphone. Allow microphone access for Care Connect Desk, then try again.';
    case 31201:
    case 31402:
      return 'Your microphone could not be started. Check it is plugged in and not used by another app.';
    case 20104:
    case 31205:
      return 'The phone line sign-in expired. Reconnecting…';
    case 20101:
    case 31204:
      return 'The phone line refused this desk’s sign-in. Sign out and in again; if it persists, tell your supervisor.';
    case 31005:
    case 31009:
    case 53000:
    case 53001:
      return 'The phone line connection dropped. Calls may not reach you until it is back; check your network.';
    default:
      return `The phone line reported a problem${error?.code ? ` (code ${error.code})` : ''}. If calls stop arriving, tell your supervisor.`;
  }
}
