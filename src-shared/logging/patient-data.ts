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
 * Fields of a database driver's error that quote the values of a row (PostgreSQL's `Key (phone)=(+44...) already
 * exists`, `Failing row contains (...)`), the statement's context or its parameters. The code, constraint, table
 * and column say what went wrong without them.
 */
const ERROR_VALUE_FIELDS: ReadonlySet<string> = new Set(['detail', 'where', 'hint', 'internalquery', 'parameters', 'params', 'values']);

/**
 * An error's message without the input it quotes: PostgreSQL quotes a refused value after a colon (`invalid input
 * syntax for type uuid: "..."`) and JSON.parse quotes the text it could not read (`Unexpected token 'x', "..." is not
 * valid JSON`). Names of constraints and tables are quoted without the colon and stay.
 */
function errorMessage(message: string): string {
  return message.replace(/: "(?:[^"]|"")*"/g, `: "${REDACTED}"`).replace(/(?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON/, `"${REDACTED}" is not valid JSON`);
}

/**
 * Returns a copy of `value` with every patient field replaced by `[redacted]`, at any depth.
 * Errors keep their message (less any input it quotes) and stack, which describe code, not people; fields of an
 * error that carry a row's values are redacted; cycles are cut.
 */
export function redactPatientData(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactPatientData(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  const isError = value instanceof Error;
  if (isError) {
    out.type = value.name;
    out.message = errorMessage(value.message);
    if (value.stack !== undefined) out.stack = value.stack.replace(value.message, String(out.message));
  }
  for (const [key, inner] of Object.entries(value)) {
    const field = key.toLowerCase();
    out[key] = PATIENT_FIELDS.has(field) || (isError && ERROR_VALUE_FIELDS.has(field)) ? REDACTED : redactPatientData(inner, depth + 1, seen);
  }
  return out;
}
