import { randomUUID } from 'node:crypto';
import { encodeReference, SERVER_DESK_TAGS } from '../src-shared/domain/reference-number';
import { MAX_PUSH_MUTATIONS, type Mutation } from '../src-shared/sync/protocol';
import type { CentralStore } from './store/central-store';
import { seededRandom, type SimulatedCaller } from './telephony/simulator';

/** The reference desk tag of the demo history, so its references never clash with a real desk's. */
export const DEMO_HISTORY_DESK_TAG = SERVER_DESK_TAGS.demoHistory;

const DAY_MS = 86_400_000;

const PAST_QUESTIONS = [
  'Asked how to get a copy of their discharge letter. Told to contact the ward clerk.',
  'Asked which clinic to attend for a follow-up appointment. Gave the clinic address and phone number.',
  'Asked how to change a hospital transport booking. Gave the transport service number.',
];

const OPEN_CONCERNS = [
  { text: 'Waiting for test results from a scan several weeks ago; nobody has called back.', category: 'delays' },
  { text: 'Appointment letter gave the wrong clinic; the caller travelled and was turned away.', category: 'communication' },
  { text: 'Parent says the ward did not explain the medicines their child was given.', category: 'medicines' },
] as const;

/**
 * The demo organisation's call history: for each of the simulator's repeat callers, a caller record and an earlier,
 * answered question, and for those ringing back about an open case, that open case too. Written as a colleague's
 * desk would push it, so every desk pulls it like any other team data and the screen pop shows real history. All of
 * it is synthetic; the numbers are Ofcom drama-range numbers from the simulator's population.
 */
export async function seedDemoCallerHistory(
  store: CentralStore,
  population: readonly SimulatedCaller[],
  author: { userId: string; name: string; teamId: string },
  now: number,
): Promise<number> {
  const random = seededRandom(7_777);
  const mutations: Mutation[] = [];
  let sequence = 0;
  const push = (mutation: Omit<Mutation, 'id'>) => mutations.push({ ...mutation, id: mutations.length + 1 } as Mutation);
  for (const caller of population.filter((candidate) => candidate.repeat)) {
    const callerId = randomUUID();
    const firstCall = now - Math.floor((20 + random() * 70) * DAY_MS);
    push({ name: 'caller.upsert', args: { callerId, phone: caller.phone, name: caller.name, flags: [], at: new Date(firstCall).toISOString() } });
    const pastId = randomUUID();
    push({ name: 'case.create', args: { caseId: pastId, reference: encodeReference(DEMO_HISTORY_DESK_TAG, ++sequence), type: 'question', channel: 'phone', callerId, at: new Date(firstCall).toISOString() } });
    push({ name: 'case.updateField', args: { caseId: pastId, field: 'description', value: PAST_QUESTIONS[Math.floor(random() * PAST_QUESTIONS.length)], at: new Date(firstCall + 60_000).toISOString(), baseSeq: null } });
    push({ name: 'case.changeStatus', args: { caseId: pastId, from: 'open', to: 'answered', at: new Date(firstCall + 240_000).toISOString() } });
    if (caller.hasOpenCase) {
      const openId = randomUUID();
      const opened = now - Math.floor((2 + random() * 12) * DAY_MS);
      const concern = OPEN_CONCERNS[Math.floor(random() * OPEN_CONCERNS.length)]!;
      push({ name: 'case.create', args: { caseId: openId, reference: encodeReference(DEMO_HISTORY_DESK_TAG, ++sequence), type: 'feedback', channel: 'phone', callerId, at: new Date(opened).toISOString() } });
      push({ name: 'case.updateField', args: { caseId: openId, field: 'description', value: concern.text, at: new Date(opened + 60_000).toISOString(), baseSeq: null } });
      push({ name: 'case.updateField', args: { caseId: openId, field: 'category', value: concern.category, at: new Date(opened + 90_000).toISOString(), baseSeq: null } });
    }
  }
  const actor = { userId: author.userId, name: author.name, role: 'handler' as const, teamIds: [author.teamId] };
  const clientId = randomUUID();
  for (let start = 0; start < mutations.length; start += MAX_PUSH_MUTATIONS) {
    await store.push(actor, clientId, mutations.slice(start, start + MAX_PUSH_MUTATIONS));
  }
  return sequence;
}
