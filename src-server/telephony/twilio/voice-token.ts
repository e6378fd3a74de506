import AccessToken from 'twilio/lib/jwt/AccessToken';
import { clampTokenTtl, type TwilioConfig } from './twilio-config';

export interface VoiceToken {
  token: string;
  identity: string;
  /** Seconds from now until the token expires; the softphone refreshes before then. */
  expiresIn: number;
  expiresAt: string;
}

/**
 * A Twilio Voice access token for one signed-in person: their user id as the identity (so a call dialled to
 * `client:<id>` rings only them), a Voice grant only (incoming calls, and outgoing through the line's TwiML app),
 * and a lifetime of at most an hour whatever the configuration says.
 */
export function mintVoiceToken(config: TwilioConfig, identity: string): VoiceToken {
  const ttl = clampTokenTtl(config.tokenTtlSeconds);
  const token = new AccessToken(config.accountSid, config.apiKeySid, config.apiKeySecret, { identity, ttl });
  token.addGrant(new AccessToken.VoiceGrant({ incomingAllow: true, outgoingApplicationSid: config.twimlAppSid }));
  const jwt = token.toJwt();
  // The package stamps the token with the system clock; report the expiry it actually wrote.
  const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as { exp: number; iat: number };
  return { token: jwt, identity, expiresIn: payload.exp - payload.iat, expiresAt: new Date(payload.exp * 1000).toISOString() };
}
