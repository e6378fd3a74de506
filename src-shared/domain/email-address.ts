export type EmailResult = { ok: true; email: string } | { ok: false; message: string };

export const EMAIL_MAX_LENGTH = 254;
const LOCAL_PART_MAX_LENGTH = 64;
export const EMAIL_ADDRESS_MESSAGE = 'Enter an email address, like name@example.com.';

// A dot-atom local part (no quoted strings: nobody reads those out over the phone) and a domain of at least two
// DNS labels ending in a letter-only or punycode top-level domain. Deliberately ASCII only: such addresses are
// rare, hard to spell out over the phone, and not every mail system can deliver to them.
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TOP_LEVEL_DOMAIN = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/**
 * Checks an email address to reply to and puts it in the form we store: trimmed, with the domain lowercased.
 * The local part keeps its case, because a mail server is allowed to treat 'Jo' and 'jo' as different people.
 */
export function normaliseEmail(input: string): EmailResult {
  const text = input.trim();
  if (text.length === 0 || text.length > EMAIL_MAX_LENGTH) return { ok: false, message: EMAIL_ADDRESS_MESSAGE };

  const at = text.lastIndexOf('@');
  const local = text.slice(0, at);
  const domain = text.slice(at + 1).toLowerCase();
  const labels = domain.split('.');
  const topLevel = labels[labels.length - 1] ?? '';

  const valid =
    at > 0 &&
    local.length <= LOCAL_PART_MAX_LENGTH &&
    LOCAL_PART.test(local) &&
    labels.length >= 2 &&
    labels.every((label) => DOMAIN_LABEL.test(label)) &&
    TOP_LEVEL_DOMAIN.test(topLevel);
  return valid ? { ok: true, email: `${local}@${domain}` } : { ok: false, message: EMAIL_ADDRESS_MESSAGE };
}
