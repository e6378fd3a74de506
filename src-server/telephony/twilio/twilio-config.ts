/**
 * Twilio's settings for the central API. Twilio is used only when all of them are given; with none of them the line
 * runs on the simulator; with some but not all, starting fails with a list of what is missing, because a half-set
 * line would take calls it cannot answer.
 */
export interface TwilioConfig {
  accountSid: string;
  /** Checks the signature on every webhook. Never logged. */
  authToken: string;
  /** An API key (SK…) and its secret sign the softphone's access tokens and authenticate REST calls. */
  apiKeySid: string;
  apiKeySecret: string;
  /** The TwiML app (AP…) the softphone's outgoing calls go through. */
  twimlAppSid: string;
  /** The line's number in E.164: the caller id on outbound calls. */
  callerId: string;
  /**
   * Where Twilio reaches this API, without a trailing slash (`https://api.example.org` or `https://example.org/api`).
   * Webhook signatures are checked against this plus the request's path and query, never the Host header, which
   * anyone can set and which a proxy rewrites.
   */
  publicUrl: string;
  /** Lifetime of a softphone token, already clamped to at most {@link MAX_VOICE_TOKEN_TTL_SECONDS}. */
  tokenTtlSeconds: number;
  /** Audio played to a caller waiting or on hold. */
  holdMusicUrl: string;
}

/** A leaked softphone token is usable until it expires: one hour at most, whatever is configured. */
export const MAX_VOICE_TOKEN_TTL_SECONDS = 3600;
export const MIN_VOICE_TOKEN_TTL_SECONDS = 60;
export const DEFAULT_HOLD_MUSIC_URL = 'https://com.twilio.music.classical.s3.amazonaws.com/BusyStrings.mp3';

/** The settings that switch Twilio on; PUBLIC_URL is required with them but may be set for other reasons. */
const required = {
  TWILIO_ACCOUNT_SID: { pattern: /^AC[0-9a-f]{32}$/i, hint: 'an account SID: AC followed by 32 hex digits' },
  TWILIO_AUTH_TOKEN: { pattern: /^\S{16,}$/, hint: "the account's auth token" },
  TWILIO_API_KEY_SID: { pattern: /^SK[0-9a-f]{32}$/i, hint: 'an API key SID: SK followed by 32 hex digits' },
  TWILIO_API_KEY_SECRET: { pattern: /^\S{16,}$/, hint: "the API key's secret" },
  TWILIO_TWIML_APP_SID: { pattern: /^AP[0-9a-f]{32}$/i, hint: 'a TwiML app SID: AP followed by 32 hex digits' },
  TWILIO_CALLER_ID: { pattern: /^\+[1-9]\d{6,14}$/, hint: "the line's number in E.164, like +441134960000" },
} as const;

export class TwilioConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Twilio is partly configured. Set all of its settings, or none to use the simulator:\n${problems.map((line) => `  ${line}`).join('\n')}`);
    this.name = 'TwilioConfigError';
  }
}

function checkPublicUrl(value: string | undefined): string | null {
  if (!value) return 'PUBLIC_URL: missing (where Twilio reaches this API, like https://api.example.org)';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'PUBLIC_URL: not a URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'PUBLIC_URL: must start with https://';
  if (url.search || url.hash || url.username || url.password) return 'PUBLIC_URL: must have no query, fragment or credentials';
  return null;
}

/**
 * Twilio's settings from the environment: null when none of the TWILIO_* settings is given (the simulator carries
 * the line); throws {@link TwilioConfigError} listing every missing or malformed one when only some are. Secret
 * values never appear in the message.
 */
export function twilioConfigFromEnv(env: Record<string, string | undefined>): TwilioConfig | null {
  const names = Object.keys(required) as (keyof typeof required)[];
  const given = (name: string) => (env[name] ?? '').trim() !== '';
  if (!names.some(given)) return null;
  const problems: string[] = [];
  for (const name of names) {
    if (!given(name)) problems.push(`${name}: missing (${required[name].hint})`);
    else if (!required[name].pattern.test(env[name]!.trim())) problems.push(`${name}: not valid (expected ${required[name].hint})`);
  }
  const publicUrl = env.PUBLIC_URL?.trim();
  const urlProblem = checkPublicUrl(publicUrl);
  if (urlProblem) problems.push(urlProblem);
  let tokenTtlSeconds = MAX_VOICE_TOKEN_TTL_SECONDS;
  if (given('TWILIO_TOKEN_TTL_SECONDS')) {
    const ttl = Number(env.TWILIO_TOKEN_TTL_SECONDS);
    if (!Number.isInteger(ttl) || ttl < MIN_VOICE_TOKEN_TTL_SECONDS) problems.push(`TWILIO_TOKEN_TTL_SECONDS: must be a whole number of seconds, at least ${MIN_VOICE_TOKEN_TTL_SECONDS}`);
    else tokenTtlSeconds = clampTokenTtl(ttl);
  }
  const holdMusicUrl = env.TWILIO_HOLD_MUSIC_URL?.trim() || DEFAULT_HOLD_MUSIC_URL;
  if (!/^https?:\/\//.test(holdMusicUrl)) problems.push('TWILIO_HOLD_MUSIC_URL: must be an http(s) URL of an MP3 or WAV file');
  if (problems.length) throw new TwilioConfigError(problems);
  const value = (name: keyof typeof required) => env[name]!.trim();
  return {
    accountSid: value('TWILIO_ACCOUNT_SID'),
    authToken: value('TWILIO_AUTH_TOKEN'),
    apiKeySid: value('TWILIO_API_KEY_SID'),
    apiKeySecret: value('TWILIO_API_KEY_SECRET'),
    twimlAppSid: value('TWILIO_TWIML_APP_SID'),
    callerId: value('TWILIO_CALLER_ID'),
    publicUrl: publicUrl!.replace(/\/+$/, ''),
    tokenTtlSeconds,
    holdMusicUrl,
  };
}

/** The `twilio` package accepts any lifetime (up to Twilio's 24 hours); ours never exceeds one hour. */
export function clampTokenTtl(seconds: number): number {
  return Math.min(MAX_VOICE_TOKEN_TTL_SECONDS, Math.max(MIN_VOICE_TOKEN_TTL_SECONDS, Math.floor(seconds)));
}
