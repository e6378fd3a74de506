/**
 * Field names that may hold patient or caller data. Logs never carry their values, wherever they sit in an object.
 * Kept as one list so the desktop and the central API redact the same things.
 */
export const PATIENT_FIELD_NAMES: readonly string[] = [
  'name',
  'firstName',
  'lastName',
  'fullName',
  'callerName',
  'reporterName',
  'phone',
  'phoneNumber',
  'number',
  'from',
  'to',
  'caller',
  'callerNumber',
  'email',
  'address',
  'postcode',
  'dateOfBirth',
  'dob',
  'nhsNumber',
  'description',
  'callerWords',
  'moderatedDescription',
  'note',
  'notes',
  'body',
  'text',
  'message',
  'subject',
  'contactDetail',
  'password',
  'token',
  'accessToken',
  'refreshToken',
  'authorization',
  'cookie',
  'secret',
];

export const PATIENT_FIELDS: ReadonlySet<string> = new Set(PATIENT_FIELD_NAMES.map((field) => field.toLowerCase()));

export const REDACTED = '[redacted]';

const MAX_DEPTH = 8;

/**
 * Returns a copy of `value` with every patient field replaced by `[redacted]`, at any depth.
 * Errors keep their message and stack (they describe code, not people); cycles are cut.
 */
export function redactPatientData(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactPatientData(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  if (value instanceof Error) {
    out.type = value.name;
    out.message = value.message;
    if (value.stack !== undefined) out.stack = value.stack;
  }
  for (const [key, inner] of Object.entries(value)) {
    out[key] = PATIENT_FIELDS.has(key.toLowerCase()) ? REDACTED : redactPatientData(inner, depth + 1, seen);
  }
  return out;
}
