import { PATIENT_FIELD_NAMES, REDACTED, redactPatientData } from './patient-data';

/**
 * pino options shared by the desktop and the central API. Every log object passes through `redactPatientData`,
 * so a caller's name, number or note can never reach a log line, however deeply it is nested.
 * (pino's own `redact` paths match fixed depths only; the formatter matches at any depth.)
 */
export function loggerOptions(name: string, level = 'info') {
  return {
    name,
    level,
    base: undefined,
    formatters: {
      log: (object: Record<string, unknown>) => redactPatientData(object) as Record<string, unknown>,
    },
    // The formatter has already made an error a plain object with its type; pino's own error serializer, which runs
    // after it, would name every such object's type "Object".
    serializers: { err: (value: unknown) => value },
    // Child-logger bindings (`logger.child({...})`) bypass the log formatter; pino's path redaction covers them.
    // The top-level `name` is the logger's own name ('sync'), so only a nested `name` is a person's.
    redact: {
      paths: PATIENT_FIELD_NAMES.flatMap((field) => (field === 'name' ? [`*.${field}`] : [field, `*.${field}`])),
      censor: REDACTED,
    },
  };
}
