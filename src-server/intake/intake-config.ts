import type { CaseType } from '../../src-shared/domain/case-types';
import type { TwilioConfig } from '../telephony/twilio/twilio-config';
import type { IntakeChannel } from './intake-store';
import { createSmtpEmailSender, createTwilioSmsSender, type EmailSender, type SmsSender } from './outbound';

/**
 * What the API needs to take contacts by the web form, SMS, email and social media, and to send replies. The web form
 * is always on when intake is; each other channel is on when its secret is set, and answers 501 (saying what to set)
 * when it is not. Replies go out only by the senders given: without one, a reply on that channel is refused with the
 * reason, and nothing is recorded.
 */
export interface IntakeDeps {
  /** The team that takes new contacts, per channel; the oldest team when not set. */
  teamIds?: Partial<Record<IntakeChannel, string>>;
  /** The type of a case opened by an SMS, email or social message; the web form asks the patient. */
  messageCaseType?: CaseType;
  /** Web form submissions allowed per address in the window (default 10 an hour). */
  webRateLimit?: { limit: number; windowMs: number };
  /** Twilio's messaging webhook: the auth token its signatures are made with and the public URL it calls. */
  sms?: { authToken: string; publicUrl: string } | null;
  smsSender?: SmsSender | null;
  /** The shared secret of the inbound-email webhook (Postmark's Basic credentials). */
  emailSecret?: string | null;
  emailSender?: EmailSender | null;
  /** The HMAC secret of the social webhook. */
  socialSecret?: string | null;
}

export const DEFAULT_WEB_RATE_LIMIT = { limit: 10, windowMs: 60 * 60 * 1000 } as const;
const MIN_SECRET_LENGTH = 16;

/**
 * Intake's settings from the environment, with their senders made. `INTAKE_TEAM_ID`; `INTAKE_EMAIL_SECRET` and
 * `INTAKE_SOCIAL_SECRET` (at least 16 characters); `SMTP_URL` with `SMTP_FROM` for email replies; SMS by Twilio when
 * Twilio is configured (`TWILIO_SMS_FROM`, else the line's own number). Throws with every problem at once.
 */
export async function intakeFromEnv(env: Record<string, string | undefined>, twilio: TwilioConfig | null): Promise<IntakeDeps & { close(): void }> {
  const problems: string[] = [];
  const text = (name: string) => env[name]?.trim() || null;
  for (const name of ['INTAKE_EMAIL_SECRET', 'INTAKE_SOCIAL_SECRET']) {
    const value = text(name);
    if (value !== null && value.length < MIN_SECRET_LENGTH) problems.push(`${name}: must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  const smtpUrl = text('SMTP_URL');
  const smtpFrom = text('SMTP_FROM');
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) problems.push('SMTP_URL: must start with smtp:// or smtps://');
  if (Boolean(smtpUrl) !== Boolean(smtpFrom)) problems.push('SMTP_URL and SMTP_FROM: set both (the server, and the address replies come from), or neither');
  const smsFrom = text('TWILIO_SMS_FROM') ?? twilio?.callerId ?? null;
  if (smsFrom && !/^\+[1-9]\d{6,14}$/.test(smsFrom)) problems.push('TWILIO_SMS_FROM: must be a number in E.164, like +441134960000');
  if (problems.length) throw new Error(`The intake settings are not valid:\n${problems.map((line) => `  ${line}`).join('\n')}`);
  const email = smtpUrl && smtpFrom ? await createSmtpEmailSender({ url: smtpUrl, from: smtpFrom }) : null;
  const teamId = text('INTAKE_TEAM_ID');
  return {
    ...(teamId ? { teamIds: { web: teamId, sms: teamId, email: teamId, social: teamId } } : {}),
    sms: twilio ? { authToken: twilio.authToken, publicUrl: twilio.publicUrl } : null,
    smsSender: twilio && smsFrom ? await createTwilioSmsSender({ ...twilio, from: smsFrom }) : null,
    emailSecret: text('INTAKE_EMAIL_SECRET'),
    emailSender: email,
    socialSecret: text('INTAKE_SOCIAL_SECRET'),
    close: () => email?.close(),
  };
}

/**
 * The embedded demo's intake: the web form on, no Twilio (so no SMS), and the email and social webhooks and SMTP
 * replies only when `CARE_DESK_INTAKE_EMAIL_SECRET`, `CARE_DESK_INTAKE_SOCIAL_SECRET` and `CARE_DESK_SMTP_URL` with
 * `CARE_DESK_SMTP_FROM` are set. Without SMTP a reply is refused with the reason.
 */
export function embeddedIntakeFromEnv(env: Record<string, string | undefined>): Promise<IntakeDeps & { close(): void }> {
  return intakeFromEnv(
    {
      INTAKE_EMAIL_SECRET: env.CARE_DESK_INTAKE_EMAIL_SECRET,
      INTAKE_SOCIAL_SECRET: env.CARE_DESK_INTAKE_SOCIAL_SECRET,
      SMTP_URL: env.CARE_DESK_SMTP_URL,
      SMTP_FROM: env.CARE_DESK_SMTP_FROM,
    },
    null,
  );
}
