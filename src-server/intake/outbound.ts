import type { TwilioConfig } from '../telephony/twilio/twilio-config';

/**
 * How replies leave the API: an SMS through Twilio's Messaging API, an email through SMTP. Each returns the
 * provider's id for the message, or throws when the provider refuses it (nothing is then recorded on the case).
 * Tests use a fake SMS sender (Twilio's cloud cannot be reached) and a real SMTP server on loopback.
 */
export interface SmsSender {
  send(message: { to: string; body: string }): Promise<{ id: string }>;
}

export interface EmailSender {
  send(message: { to: string; subject: string; text: string; inReplyTo?: string }): Promise<{ id: string }>;
}

/** Sends SMS from the line's number with the `twilio` package, authenticated with the API key. */
export async function createTwilioSmsSender(config: Pick<TwilioConfig, 'accountSid' | 'apiKeySid' | 'apiKeySecret'> & { from: string }): Promise<SmsSender> {
  const { default: twilio } = await import('twilio');
  const client = twilio(config.apiKeySid, config.apiKeySecret, { accountSid: config.accountSid, autoRetry: true, maxRetries: 3 });
  return {
    async send(message) {
      const sent = await client.messages.create({ to: message.to, from: config.from, body: message.body });
      return { id: sent.sid };
    },
  };
}

/**
 * Sends email through an SMTP server (`smtp://user:pass@host:587`, `smtps://…`), from one address. The reply keeps
 * the mail client's thread with In-Reply-To and References when the patient's message had a Message-ID.
 */
export async function createSmtpEmailSender(options: { url: string; from: string }): Promise<EmailSender & { close(): void }> {
  const { default: nodemailer } = await import('nodemailer');
  const transport = nodemailer.createTransport(options.url);
  return {
    async send(message) {
      const info = await transport.sendMail({
        from: options.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.inReplyTo ? { inReplyTo: message.inReplyTo, references: [message.inReplyTo] } : {}),
      });
      return { id: info.messageId };
    },
    close: () => transport.close(),
  };
}
