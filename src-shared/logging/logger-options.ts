import { redactPatientData } from './patient-data';

/**
 * pino options shared by the desktop and the central API. Every log object passes through `redactPatientData`,
 * so a caller's name, number or note can never reach a log line, however deeply it is nested.
 * (pino's own `redact` paths match fixed depths only; this matches at any depth.)
 */
export function loggerOptions(name: string, level = 'info') {
  return {
    name,
    level,
    base: undefined,
    formatters: {
      log: (object: Record<string, unknown>) => redactPatientData(object) as Record<string, unknown>,
    },
  };
}
