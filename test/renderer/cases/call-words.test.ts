import { callWords } from '../../../src-renderer/features/cases/event-words';
import type { CaseEvent } from '../../../src-shared/contract/cases';

function callEvent(value: Record<string, unknown>): CaseEvent {
  return { id: 'e1', caseId: 'c1', kind: 'call', field: null, oldValue: null, newValue: value, body: null, authorId: 'u1', authorName: 'Sam Taylor', at: '2026-11-21T10:00:00.000Z' } as CaseEvent;
}

describe('a phone call in the case history', () => {
  it('says how long the caller waited, talked and was held, and how the call ended', () => {
    const words = callWords(
      callEvent({
        direction: 'inbound',
        offeredAt: '2026-11-21T10:00:00.000Z',
        answeredAt: '2026-11-21T10:00:14.000Z',
        endedAt: '2026-11-21T10:03:16.000Z',
        heldMs: 20_000,
        outcome: 'answered',
        dispositionId: 'information-given',
      }),
      (id) => (id === 'information-given' ? 'Information given' : undefined),
    );
    expect(words).toBe('Call from the caller: answered after 0:14, talked 3:02 (0:20 on hold). Information given.');
  });

  it('words a callback, an unanswered call and a disposition it has no label for', () => {
    expect(callWords(callEvent({ direction: 'outbound', offeredAt: null, answeredAt: '2026-11-21T10:00:00.000Z', endedAt: '2026-11-21T11:02:03.000Z', heldMs: 0, dispositionId: 'callback-needed' }))).toBe(
      'Call to the caller: answered, talked 1:02:03. Callback needed.',
    );
    expect(callWords(callEvent({ direction: 'inbound', answeredAt: null, outcome: 'no-answer', heldMs: 0, dispositionId: null }))).toBe('Call from the caller: no answer.');
  });
});
