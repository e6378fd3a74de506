import { randomInt } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { encodeReference, RESERVED_DESK_TAG_MIN, SEQUENCE_MAX } from '../../../src-shared/domain/reference-number';
import type { createSettings } from '../settings';

/**
 * Hands out case references. Unique on this desk by construction (a per-desk counter, scrambled so neighbours do
 * not look alike); across desks, by the desk tag. Until the central API assigns tags, the tag is drawn at random
 * at install. Must be called inside the transaction that inserts the case, so a rolled-back case gives its number
 * back.
 */
export function createReferenceAllocator(db: Database, settings: ReturnType<typeof createSettings>) {
  let deskTag = settings.getOrCreate('deskTag', () => randomInt(0, RESERVED_DESK_TAG_MIN));
  if (deskTag >= RESERVED_DESK_TAG_MIN) {
    // Drawn before the central API kept these tags for itself: draw again. The sequence carries on, so no
    // (tag, sequence) pair this desk made before can repeat.
    deskTag = randomInt(0, RESERVED_DESK_TAG_MIN);
    settings.set('deskTag', deskTag);
  }
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
