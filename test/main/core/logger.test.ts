import { describe, expect, it } from 'vitest';
import { capturingLogger } from '../../helpers';

describe('the desktop logger', () => {
  it('never writes a caller’s number, name or words, however deeply they are nested', () => {
    const { logger, text } = capturingLogger('sync');
    logger.info({ caseId: 'c-42', caller: { phone: '+447400123456', name: 'Sam Jones' } }, 'case saved');
    logger.warn({ mutation: { args: { description: 'Nurse was rude on ward 9', note: 'rang back' } } }, 'push failed');
    logger.child({ callerNumber: '+441134960000' }).error('lookup failed');
    const out = text();
    for (const secret of ['+447400123456', 'Sam Jones', 'ward 9', 'rang back', '+441134960000']) expect(out).not.toContain(secret);
    expect(out).toContain('c-42');
    expect(out).toContain('"name":"sync"');
  });
});
