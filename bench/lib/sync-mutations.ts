import { randomInt } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { categories } from '../../src-shared/domain/categories';
import { DESK_TAG_MAX, encodeReference } from '../../src-shared/domain/reference-number';
import type { Mutation } from '../../src-shared/sync/protocol';
import { pick, seededRandom } from './random';
import { createVocabulary } from './vocabulary';

/** The push batch the desktop sends (`DEFAULT_PUSH_BATCH` in the sync engine). */
export const DESKTOP_PUSH_BATCH = 200;

const vocabulary = createVocabulary(2_000);

/**
 * The mutations one desktop sends, shaped as its outbox writes them: a `case.create`, then `editsPerCase` autosaves
 * of that case (the caller's words, the department, the category, the words again), each with the desktop's event
 * id and `baseSeq: null` (never synced). Ids run from `firstId`; references are this desk's, so never repeated.
 */
export function desktopMutations(options: { firstId?: number; editsPerCase?: number; seed?: number } = {}) {
  const random = seededRandom(options.seed ?? 7);
  const editsPerCase = options.editsPerCase ?? 4;
  const deskTag = randomInt(0, DESK_TAG_MAX + 1);
  let nextId = options.firstId ?? 1;
  let sequence = 0;
  let caseId = '';
  let edit = editsPerCase;
  const at = () => new Date().toISOString();

  function create(): Mutation {
    caseId = uuidv7();
    edit = 0;
    const reference = encodeReference(deskTag, sequence);
    sequence += 1;
    return { id: nextId++, name: 'case.create', args: { caseId, reference, type: 'feedback', channel: 'phone', callerId: null, at: at(), eventId: uuidv7() } };
  }

  function update(): Mutation {
    const step = edit % 4;
    edit += 1;
    const [field, value] =
      step === 0 || step === 3
        ? ['description', vocabulary.text(random, 20 + Math.floor(random() * 31))]
        : step === 1
          ? ['department', `Ward ${1 + Math.floor(random() * 40)}`]
          : ['category', pick(random, categories)];
    return { id: nextId++, name: 'case.updateField', args: { caseId, field, value, at: at(), baseSeq: null, eventId: uuidv7() } };
  }

  return {
    /** The next mutation in the outbox's order. */
    next: (): Mutation => (edit >= editsPerCase ? create() : update()),
    /** The next `count` mutations. */
    take(count: number): Mutation[] {
      return Array.from({ length: count }, () => (edit >= editsPerCase ? create() : update()));
    },
    /** An edit of the current case (for steady traffic once a case exists). */
    edit: update,
    /** Starts a new case. */
    create,
  };
}

/** `count` mutations as push bodies of `batch` (the desktop's 200), serialised once so every server gets the same bytes. */
export function pushBodies(clientId: string, mutations: readonly Mutation[], batch = DESKTOP_PUSH_BATCH): string[] {
  const bodies: string[] = [];
  for (let i = 0; i < mutations.length; i += batch) bodies.push(JSON.stringify({ clientId, mutations: mutations.slice(i, i + batch) }));
  return bodies;
}
