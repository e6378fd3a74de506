import { randomInt } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { DESK_TAG_MAX, encodeReference, SEQUENCE_MAX } from '../../../src-shared/domain/reference-number';
import type { createSettings } from '../settings';

/**
 * Hands out case references. Unique on this desk by construction (a per-desk counter, scrambled so neighbours do
 * not look alike); across desks, by the desk tag. Until the central API assigns tags, the tag is drawn at random
 * at install. Must be called inside the transaction that inserts the case, so a rolled-back case gives its number
 * back.
 */
export function createReferenceAllocator(db: Database, settings: ReturnType<typeof createSettings>) {
  const deskTag = settings.getOrCreate('deskTag', () => randomInt(0, DESK_TAG_MAX + 1));
  return {
    deskTag,
    next(): string {
      if (!db.inTransaction) throw new Error('References are allocated inside the transaction that creates the case');
      const sequence = settings.get<number>('referenceSequence') ?? 0;
      if (sequence > SEQUENCE_MAX) throw new Error('This desk has used every case reference it can make; it needs a new desk tag');
      settings.set('referenceSequence', sequence + 1);
      return encodeReference(deskTag, sequence);
    },
  };
}
