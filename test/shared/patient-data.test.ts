import { describe, expect, it } from 'vitest';
import { redactPatientData, REDACTED } from '../../src-shared/logging/patient-data';

describe('redactPatientData', () => {
  it('replaces patient fields at any depth and keeps the rest', () => {
    const input = {
      caseId: 'c-1',
      caller: { phone: '+447400123456' },
      case: { details: { description: 'My mother fell on ward 7', status: 'open' } },
      events: [{ note: 'Called back Mrs Patel', kind: 'note' }],
    };
    const out = JSON.stringify(redactPatientData(input));
    expect(out).not.toContain('+447400123456');
    expect(out).not.toContain('ward 7');
    expect(out).not.toContain('Patel');
    expect(out).toContain('"caseId":"c-1"');
    expect(out).toContain('"status":"open"');
    expect(out).toContain('"kind":"note"');
    expect(out).toContain(REDACTED);
  });

  it('matches field names whatever their case', () => {
    expect(redactPatientData({ NHSNumber: '943 476 5919', Email: 'a@b.c' })).toEqual({ NHSNumber: REDACTED, Email: REDACTED });
  });

  it('keeps an error readable but redacts patient fields attached to it', () => {
    const error = Object.assign(new Error('lookup failed'), { phone: '+447400123456' });
    const out = redactPatientData({ err: error }) as { err: Record<string, unknown> };
    expect(out.err.message).toBe('lookup failed');
    expect(out.err.phone).toBe(REDACTED);
  });

  it('survives cycles and very deep objects', () => {
    const a: Record<string, unknown> = { id: 1 };
    a.self = a;
    expect(() => JSON.stringify(redactPatientData(a))).not.toThrow();
    let deep: Record<string, unknown> = { name: 'Jo Bloggs' };
    for (let i = 0; i < 20; i++) deep = { inner: deep };
    expect(JSON.stringify(redactPatientData(deep))).not.toContain('Jo Bloggs');
  });
});
