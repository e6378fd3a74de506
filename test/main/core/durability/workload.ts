import { seededRandom } from '../../../../src-shared/random';
import type { DesktopCore } from '../../../../src-main/core/desktop-core';
import { RefusedError } from '../../../../src-main/core/errors';
import type { CaseFieldName } from '../../../../src-shared/domain/case-record';
import { caseTypes, channels } from '../../../../src-shared/domain/case-types';
import { categories } from '../../../../src-shared/domain/categories';

/**
 * One line the writer prints after a write has committed. `ready` is not a write: it says the core is open, so
 * the test can time its kill from there.
 */
export type Report =
  | { op: 'ready' }
  | { op: 'case'; caseId: string; reference: string }
  | { op: 'field'; caseId: string; field: CaseFieldName; value: unknown; at: string }
  | { op: 'note'; caseId: string; noteId: string; text: string };

export { seededRandom };

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const WHO = ['Caller', 'Patient', 'Her daughter', 'His son', 'The patient’s carer', 'Caller’s husband', 'Caller’s mother'];
const PLACES = ['ward 7', 'the discharge lounge', 'A&E', 'outpatients', 'the maternity unit', 'the GP surgery', 'the pharmacy', 'radiology'];
const PROBLEMS = [
  'waited over four hours to be seen',
  'was not told the appointment had been cancelled',
  'was given the wrong discharge letter',
  'could not get through to the switchboard',
  'found the toilets had not been cleaned',
  'says the nurse was dismissive about the pain',
  'was sent home without the prescribed medication',
  'has had the referral lost twice',
  'was spoken to rudely at reception',
  'had a hearing aid go missing during the stay',
];
const ACTIONS = [
  'Explained the complaints process and offered to pass details to the provider.',
  'Gave the PALS number and opening hours.',
  'Agreed to ring back once the ward manager has replied.',
  'Caller happy for the details to be shared with the trust.',
  'Advised to contact NHS 111 if symptoms get worse.',
  'Logged as feedback; no further action requested.',
  'Caller wants a written response by email.',
];
const DEPARTMENTS = ['Accident and emergency', 'Cardiology', 'Maternity', 'Outpatients', 'Paediatrics', 'Radiology', 'Surgery', 'Wards', 'Reception'];

function sentence(random: () => number): string {
  return `${pick(random, WHO)} ${pick(random, PROBLEMS)} on ${pick(random, PLACES)}.`;
}

/**
 * Does `steps` writes a handler might do (open a case, set its fields, add notes), calling `report` after each
 * one has committed. Writes the rules refuse (say, high priority for parking) report nothing, as nothing was
 * written. `runTag` makes each note's text unique to its run and step, so a note written twice would show.
 * `between` runs after each write: the writer lets the event loop turn there, as the app does between two
 * requests, so the core's deferred storage maintenance runs (and can be killed) too.
 */
export async function runWorkload(
  core: DesktopCore,
  random: () => number,
  report: (line: Report) => void,
  runTag: string,
  options: { steps?: number; between?: () => Promise<void> } = {},
): Promise<void> {
  const steps = options.steps ?? Infinity;
  // Pick up where an earlier run left off: notes and edits land on cases this desk already holds.
  const pool = core.cases.list({ limit: 30 }).items.map((item) => item.id);
  for (let step = 0; step < steps; step++) {
    const roll = random();
    if (roll < 0.25 || pool.length === 0) {
      const created = core.cases.create({ type: pick(random, caseTypes), channel: pick(random, channels) });
      pool.push(created.id);
      report({ op: 'case', caseId: created.id, reference: created.reference });
    } else if (roll < 0.6) {
      const caseId = pick(random, pool.slice(-10));
      const text = `${sentence(random)} ${pick(random, ACTIONS)} (entry ${runTag}.${step})`;
      const note = core.cases.appendNote(caseId, text);
      report({ op: 'note', caseId, noteId: note.id, text: note.body ?? '' });
    } else {
      const caseId = pick(random, pool.slice(-10));
      const [field, value] = pick(random, [
        () => ['category', pick(random, categories)] as const,
        () => ['priority', random() < 0.5 ? 'high' : 'normal'] as const,
        () => ['department', pick(random, DEPARTMENTS)] as const,
        () => ['description', `${sentence(random)} ${sentence(random)}`] as const,
        () => ['commissioning', random() < 0.5 ? 'local' : 'national'] as const,
      ])();
      try {
        const saved = core.cases.updateField(caseId, field, value);
        if (saved.changed) report({ op: 'field', caseId, field, value: saved.value, at: saved.updatedAt });
      } catch (error) {
        if (!(error instanceof RefusedError)) throw error;
      }
    }
    if (options.between) await options.between();
  }
}
