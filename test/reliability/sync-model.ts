/**
 * A model test of sync, after Jepsen's "set" oracle: simulated desktops commit mutations to their outboxes, push
 * them in pieces, retry, reorder, lose answers and crash; a model of the central store folds the same mutations in
 * the order they reach the server, with the server's rules, and every answer of the real store and its final state
 * must equal the model's. Used by sync-model.test.ts against SQLite and PostgreSQL.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { caseTypes, channels, type CaseType, type Channel } from '../../src-shared/domain/case-types';
import { defaultCaseFields, validateField, type CaseFields } from '../../src-shared/domain/case-record';
import { allowedTransitions, canTransition, isOpenStatus, type CaseStatus } from '../../src-shared/domain/statuses';
import { caseOpenReasons, caseShownReasons, pushRequestSchema, type CaseOpenedFrom, type CaseShownIn, type Change, type Mutation, type PushResponse } from '../../src-shared/sync/protocol';
import { StoreRefusal, type Actor, type CentralStore, type ServerCase } from '../../src-server/store/central-store';

// ---------------------------------------------------------------------------------------------------------------
// What the desktops may do

/** The fields the desktops edit; enough kinds (free text, choices, a normalised number) to see each rule. */
export const editedFields = ['description', 'department', 'priority', 'category', 'contactPhone'] as const;
export type EditedField = (typeof editedFields)[number];

/**
 * The values an edit may send, and whether the domain accepts them (each accepted value is already in its stored
 * form). `unique` stands for a text made unique per mutation, so the final value tells exactly which edit won.
 * A test checks this table against the domain's own validation, so the model cannot drift from it unnoticed.
 */
export const fieldChoices: Record<EditedField, readonly { value: unknown; valid: boolean }[]> = {
  description: [{ value: 'unique', valid: true }, { value: 'unique', valid: true }, { value: '', valid: true }, { value: 42, valid: false }],
  department: [{ value: 'unique', valid: true }, { value: 'unique', valid: true }, { value: null, valid: true }, { value: 7, valid: false }],
  priority: [{ value: 'normal', valid: true }, { value: 'high', valid: true }, { value: 'urgent', valid: false }],
  category: [{ value: 'delays', valid: true }, { value: 'communication', valid: true }, { value: null, valid: true }, { value: 'weather', valid: false }],
  contactPhone: [{ value: '+447400123456', valid: true }, { value: '+447400123457', valid: true }, { value: null, valid: true }, { value: 'not a number', valid: false }],
};

/** One step of a scenario. Cases and notes are picked by index modulo what the desk has, so shrinking stays valid. */
export type Step =
  | { do: 'create'; desk: number; type: CaseType; channel: Channel }
  | { do: 'edit'; desk: number; pick: number; field: EditedField; choice: number }
  | { do: 'note'; desk: number; pick: number }
  | { do: 'view'; desk: number; pick: number; from: CaseOpenedFrom }
  | { do: 'list'; desk: number; pick: number; count: number; shownIn: CaseShownIn }
  | { do: 'status'; desk: number; pick: number; choice: number }
  | { do: 'duplicateNote'; desk: number; pick: number }
  | { do: 'duplicateCreate'; desk: number; pick: number; type: CaseType }
  | { do: 'push'; desk: number; count: number }
  | { do: 'retry'; desk: number; from: number }
  | { do: 'reorder'; desk: number; variant: 'swap' | 'gap'; pick: number }
  | { do: 'loseAck'; desk: number; count: number }
  | { do: 'crash'; desk: number; loseCursor: boolean }
  | { do: 'pull'; desk: number };

export interface Scenario {
  /** How many desktops, each its own client id and its own user, all in one team. */
  desks: number;
  /** When set, desk 0 creates this many cases, pushes them and every desk pulls, before the steps. */
  sharedCases: number;
  steps: Step[];
}

const desk = fc.nat({ max: 2 });
const pick = fc.nat({ max: 20 });
const count = fc.integer({ min: 1, max: 6 });

const create = fc.record({ do: fc.constant('create' as const), desk, type: fc.constantFrom(...caseTypes), channel: fc.constantFrom(...channels) });
const edit = (fields: readonly EditedField[]) => fc.record({ do: fc.constant('edit' as const), desk, pick, field: fc.constantFrom(...fields), choice: fc.nat({ max: 9 }) });
const note = fc.record({ do: fc.constant('note' as const), desk, pick });
/** The handler opens a case on the desk, from its own copy: a `case.viewed` for the server's audit log. */
const view = fc.record({ do: fc.constant('view' as const), desk, pick, from: fc.constantFrom(...(Object.keys(caseOpenReasons) as CaseOpenedFrom[])) });
/** The desk shows previews of some of its cases in a list: a `cases.listed` for the server's audit log. */
const list = fc.record({ do: fc.constant('list' as const), desk, pick, count, shownIn: fc.constantFrom(...(Object.keys(caseShownReasons) as CaseShownIn[])) });
const status = fc.record({ do: fc.constant('status' as const), desk, pick, choice: fc.nat({ max: 9 }) });
const duplicateNote = fc.record({ do: fc.constant('duplicateNote' as const), desk, pick });
const duplicateCreate = fc.record({ do: fc.constant('duplicateCreate' as const), desk, pick, type: fc.constantFrom(...caseTypes) });
const push = fc.record({ do: fc.constant('push' as const), desk, count });
const retry = fc.record({ do: fc.constant('retry' as const), desk, from: pick });
const reorder = fc.record({ do: fc.constant('reorder' as const), desk, variant: fc.constantFrom('swap' as const, 'gap' as const), pick });
const loseAck = fc.record({ do: fc.constant('loseAck' as const), desk, count });
const crash = fc.record({ do: fc.constant('crash' as const), desk, loseCursor: fc.boolean() });
const pull = fc.record({ do: fc.constant('pull' as const), desk });

/** Everything: several desks creating, editing, noting and moving cases, with every kind of delivery fault. */
export function anyScenario(maxSteps = 60): fc.Arbitrary<Scenario> {
  const step: fc.Arbitrary<Step> = fc.oneof(
    { arbitrary: create, weight: 4 },
    { arbitrary: edit(editedFields), weight: 8 },
    { arbitrary: note, weight: 4 },
    { arbitrary: view, weight: 2 },
    { arbitrary: list, weight: 2 },
    { arbitrary: status, weight: 4 },
    { arbitrary: duplicateNote, weight: 1 },
    { arbitrary: duplicateCreate, weight: 1 },
    { arbitrary: push, weight: 6 },
    { arbitrary: retry, weight: 2 },
    { arbitrary: reorder, weight: 2 },
    { arbitrary: loseAck, weight: 2 },
    { arbitrary: crash, weight: 2 },
    { arbitrary: pull, weight: 4 },
  );
  return fc.record({ desks: fc.integer({ min: 1, max: 3 }), sharedCases: fc.constantFrom(0, 1, 2), steps: fc.array(step, { minLength: 1, maxLength: maxSteps, size: 'max' }) });
}

/** Two desks editing the same fields of one shared case, pulling now and then: stale edits are the common case. */
export function contendedScenario(maxSteps = 30): fc.Arbitrary<Scenario> {
  const step: fc.Arbitrary<Step> = fc.oneof(
    { arbitrary: edit(['description', 'priority']), weight: 8 },
    { arbitrary: status, weight: 2 },
    { arbitrary: push, weight: 5 },
    { arbitrary: loseAck, weight: 1 },
    { arbitrary: crash, weight: 1 },
    { arbitrary: pull, weight: 3 },
  );
  return fc.record({ desks: fc.constant(2), sharedCases: fc.constant(1), steps: fc.array(step, { minLength: 1, maxLength: maxSteps, size: 'max' }) });
}

// ---------------------------------------------------------------------------------------------------------------
// The simulated desktops

/** A mutation in a desk's outbox, with what the desk had seen of the field when it made an edit (for the model). */
interface Entry {
  mutation: Mutation;
  /** The model's number of the write of the field the desk had last pulled; null if it had pulled none. */
  seenWrite: number | null;
}

interface ViewCase {
  type: CaseType;
  /** The status the desk last pulled; null if it has not pulled the case yet (it created it). */
  serverStatus: CaseStatus | null;
  /** The status the handler sees: the pulled one with the desk's pending moves on top. */
  status: CaseStatus;
  /** The server change number of each field the desk last pulled, sent as `baseSeq`. */
  baseSeq: Partial<Record<EditedField, number>>;
  /** The model's write of each field that the pulled change number stands for. */
  seenWrite: Partial<Record<EditedField, number>>;
}

interface Desk {
  index: number;
  clientId: string;
  actor: Actor;
  /** Every mutation committed locally, in id order: entry i has mutation id i + 1. */
  outbox: Entry[];
  /** The newest mutation id the desk believes the server has. */
  acked: number;
  cursor: number;
  view: Map<string, ViewCase>;
  notes: { caseId: string; noteId: string; text: string }[];
}

// ---------------------------------------------------------------------------------------------------------------
// The model of the central store

interface ExpectedEvent {
  id: string | null;
  kind: string;
  field: string | null;
  value: unknown;
  body: string | null;
  authorId: string;
}

interface ExpectedConflict {
  field: string;
  kind: 'stale-edit' | 'refused';
  losingValue: unknown;
  losingBy: string;
  winningValue: unknown;
  winningBy: string | null;
}

interface Write {
  /** The model's own numbering of accepted writes, in arrival order. */
  write: number;
  by: string;
}

interface ModelCase {
  id: string;
  reference: string;
  teamId: string;
  createdBy: string;
  createdAt: string;
  status: CaseStatus;
  closedAt: string | null;
  fields: CaseFields;
  last: Partial<Record<EditedField | 'status', Write>>;
  version: number;
  events: ExpectedEvent[];
  conflicts: ExpectedConflict[];
}

type Predicted = { refused: { expected: number; lastMutationId: number } } | { response: PushResponse };

/**
 * The central store as a fold over the mutations in arrival order. It is written from the rules (DESIGN.md, Sync,
 * and the store's documented semantics), not from the store's code: a batch is taken in order, an id at or below
 * the client's last is skipped, the next id is applied, anything else refuses the whole batch.
 */
class StoreModel {
  readonly lastMutationId = new Map<string, number>();
  readonly cases = new Map<string, ModelCase>();
  readonly noteIds = new Set<string>();
  /** The audit rows the desks' reports of opening cases must leave, in arrival order. */
  readonly views: { userId: string; caseId: string; reason: string; at: string }[] = [];
  /** Every applied mutation in arrival order, for the final check that each arrived exactly once. */
  readonly arrivals: { clientId: string; id: number }[] = [];
  private writes = 0;

  constructor(private readonly teamId: string) {}

  last(clientId: string): number {
    return this.lastMutationId.get(clientId) ?? 0;
  }

  push(actor: Actor, clientId: string, batch: readonly Entry[]): Predicted {
    const stored = this.last(clientId);
    let next = stored + 1;
    for (const { mutation } of batch) {
      if (mutation.id < next) continue;
      if (mutation.id !== next) return { refused: { expected: stored + 1, lastMutationId: stored } };
      next += 1;
    }
    let applied = 0;
    let skipped = 0;
    let conflicts = 0;
    let last = stored;
    for (const entry of batch) {
      if (entry.mutation.id <= last) {
        skipped += 1;
        continue;
      }
      if (this.apply(actor, entry) === 'conflict') conflicts += 1;
      applied += 1;
      last = entry.mutation.id;
      this.arrivals.push({ clientId, id: last });
    }
    this.lastMutationId.set(clientId, last);
    return { response: { lastMutationId: last, applied, skipped, conflicts } };
  }

  private caseFor(caseId: string): ModelCase {
    const found = this.cases.get(caseId);
    // The desks only touch cases they created (earlier in their own outbox) or pulled, so this never happens.
    if (!found) throw new Error(`model: a mutation on case ${caseId} arrived before its creation`);
    return found;
  }

  private apply(actor: Actor, { mutation, seenWrite }: Entry): 'applied' | 'conflict' {
    switch (mutation.name) {
      case 'case.create': {
        const { args } = mutation;
        if (this.cases.has(args.caseId)) return 'applied';
        this.cases.set(args.caseId, {
          id: args.caseId,
          reference: args.reference,
          teamId: this.teamId,
          createdBy: actor.userId,
          createdAt: args.at,
          status: 'open',
          closedAt: null,
          fields: { ...defaultCaseFields(args.type, args.channel), callerId: null },
          last: {},
          version: 1,
          events: [{ id: args.eventId ?? `${args.caseId}:created`, kind: 'created', field: null, value: { type: args.type, channel: args.channel, reference: args.reference }, body: null, authorId: actor.userId }],
          conflicts: [],
        });
        return 'applied';
      }
      case 'case.updateField': {
        const { args } = mutation;
        const current = this.caseFor(args.caseId);
        const field = args.field as EditedField;
        const valid = isValidChoice(field, args.value);
        if (!valid) {
          current.conflicts.push({ field, kind: 'refused', losingValue: args.value, losingBy: actor.userId, winningValue: current.fields[field], winningBy: null });
          return 'conflict';
        }
        const last = current.last[field];
        // Stale: the field's newest write is not the one the desk had seen, and another user made it.
        if (last !== undefined && last.write !== seenWrite && last.by !== actor.userId) {
          current.conflicts.push({ field, kind: 'stale-edit', losingValue: args.value, losingBy: actor.userId, winningValue: current.fields[field], winningBy: last.by });
          return 'conflict';
        }
        this.writes += 1;
        current.fields = { ...current.fields, [field]: args.value };
        current.last[field] = { write: this.writes, by: actor.userId };
        current.version += 1;
        current.events.push({ id: args.eventId ?? null, kind: 'field', field, value: args.value, body: null, authorId: actor.userId });
        return 'applied';
      }
      case 'case.appendNote': {
        const { args } = mutation;
        const current = this.caseFor(args.caseId);
        if (this.noteIds.has(args.noteId)) return 'applied';
        this.noteIds.add(args.noteId);
        current.events.push({ id: args.noteId, kind: 'note', field: null, value: null, body: args.text, authorId: actor.userId });
        return 'applied';
      }
      case 'case.recordCall': {
        // Like a note: an event with the desk's own id, kept once however often it is pushed.
        const { args } = mutation;
        const current = this.caseFor(args.caseId);
        if (this.noteIds.has(args.eventId)) return 'applied';
        this.noteIds.add(args.eventId);
        current.events.push({ id: args.eventId, kind: 'call', field: null, value: args.call, body: null, authorId: actor.userId });
        return 'applied';
      }
      case 'case.changeStatus': {
        const { args } = mutation;
        const current = this.caseFor(args.caseId);
        const type = current.fields.type;
        if (current.status === args.to) return 'applied';
        const allowedWhenMade = canTransition(type, args.from, args.to);
        const last = current.last.status;
        // Moved from a status another person has since changed: the newer status stays, this move is a stale edit.
        if (allowedWhenMade && current.status !== args.from && last && last.by !== actor.userId) {
          current.conflicts.push({ field: 'status', kind: 'stale-edit', losingValue: args.to, losingBy: actor.userId, winningValue: current.status, winningBy: last.by });
          return 'conflict';
        }
        if (!canTransition(type, current.status, args.to)) {
          const lostToNewerMove = current.status !== args.from && allowedWhenMade;
          current.conflicts.push({ field: 'status', kind: lostToNewerMove ? 'stale-edit' : 'refused', losingValue: args.to, losingBy: actor.userId, winningValue: current.status, winningBy: current.last.status?.by ?? null });
          return 'conflict';
        }
        this.writes += 1;
        current.events.push({ id: args.eventId ?? null, kind: 'status', field: 'status', value: { from: current.status, to: args.to }, body: null, authorId: actor.userId });
        current.status = args.to;
        current.closedAt = isOpenStatus(args.to) ? null : args.at;
        current.last.status = { write: this.writes, by: actor.userId };
        current.version += 1;
        return 'applied';
      }
      case 'case.viewed': {
        const { args } = mutation;
        this.caseFor(args.caseId);
        this.views.push({ userId: actor.userId, caseId: args.caseId, reason: caseOpenReasons[args.from], at: args.at });
        return 'applied';
      }
      case 'cases.listed': {
        const { args } = mutation;
        for (const caseId of args.caseIds) {
          this.caseFor(caseId);
          this.views.push({ userId: actor.userId, caseId, reason: caseShownReasons[args.shownIn], at: args.at });
        }
        return 'applied';
      }
      case 'caller.upsert':
        throw new Error('model: the desks never send caller.upsert');
    }
  }
}

function isValidChoice(field: EditedField, value: unknown): boolean {
  const known = fieldChoices[field].find((choice) => choice.value === value && choice.value !== 'unique');
  if (known) return known.valid;
  if (typeof value === 'string' && (field === 'description' || field === 'department')) return true;
  throw new Error(`model: no rule for ${field} = ${JSON.stringify(value)}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Running a scenario against a real store

/** What one run did, summed over runs and printed, so a reader can see the property is not vacuous. */
export interface RunStats {
  runs: number;
  mutations: number;
  applied: number;
  skipped: number;
  refusedBatches: number;
  staleEdits: number;
  refusedValues: number;
  lostAnswers: number;
  crashes: number;
  /** Audit rows written for cases the desks reported opening. */
  views: number;
  /** Audit rows of cases shown in lists (counted in `views` too). */
  listed: number;
}

export function emptyStats(): RunStats {
  return { runs: 0, mutations: 0, applied: 0, skipped: 0, refusedBatches: 0, staleEdits: 0, refusedValues: 0, lostAnswers: 0, crashes: 0, views: 0, listed: 0 };
}

/** A deterministic UUIDv7-shaped id, so a replayed seed produces the same ids. */
function uuid(kind: number, n: number): string {
  return `0195f0c4-7a1e-7${kind.toString(16).padStart(3, '0')}-8000-${n.toString(16).padStart(12, '0')}`;
}

const MODELLED_CASE_KEYS = ['id', 'reference', 'teamId', 'ownerId', 'createdBy', 'status', 'fields', 'createdAt', 'closedAt', 'version'] as const;

/**
 * Runs one scenario on an empty store and checks every answer against the model on the way, and the whole state at
 * the end. Throws (a vitest assertion error) on the first difference.
 */
export async function runScenario(store: CentralStore, scenario: Scenario, stats: RunStats): Promise<void> {
  // In the past on any machine that runs this: the server keeps a desk's time for a case it showed unless it is ahead.
  let time = Date.parse('2025-11-21T09:00:00.000Z');
  const at = () => new Date((time += 1000)).toISOString();
  let ids = 0;
  /** The desktop's own id for the timeline event of a change, as the desktop sends it. */
  const eventId = () => uuid(0xe, (ids += 1));

  const team = await store.createTeam('Patient feedback line');
  const model = new StoreModel(team.id);
  const desks: Desk[] = [];
  for (let index = 0; index < scenario.desks; index += 1) {
    const user = await store.createUser({ email: `desk${index}@example.nhs.uk`, name: `Handler ${index}`, role: 'handler', teamIds: [team.id], passwordHash: 'scrypt$not-a-real-hash' });
    desks.push({ index, clientId: uuid(0xc, index + 1), actor: { userId: user.id, name: user.name, role: user.role, teamIds: user.teamIds }, outbox: [], acked: 0, cursor: 0, view: new Map(), notes: [] });
  }
  const deskAt = (n: number) => desks[n % desks.length]!;

  function commit(d: Desk, mutation: Omit<Mutation, 'id'>, seenWrite: number | null = null): void {
    const entry = { mutation: { ...mutation, id: d.outbox.length + 1 } as Mutation, seenWrite };
    d.outbox.push(entry);
    stats.mutations += 1;
  }

  function pickCase(d: Desk, n: number): [string, ViewCase] | undefined {
    const all = [...d.view.entries()];
    return all.length === 0 ? undefined : all[n % all.length];
  }

  /** The statuses the handler sees: the pulled ones, with the moves still waiting after `lastMutationId` on top. */
  function rebase(d: Desk, lastMutationId: number): void {
    for (const view of d.view.values()) view.status = view.serverStatus ?? 'open';
    for (const { mutation } of d.outbox.slice(lastMutationId)) {
      if (mutation.name !== 'case.changeStatus') continue;
      const view = d.view.get(mutation.args.caseId);
      if (view) view.status = mutation.args.to;
    }
  }

  /** Sends a batch; checks the answer, or the refusal, against the model's. */
  async function send(d: Desk, batch: readonly Entry[]): Promise<{ response: PushResponse } | { refusal: StoreRefusal }> {
    const request = pushRequestSchema.parse({ clientId: d.clientId, mutations: batch.map((entry) => entry.mutation) });
    const predicted = model.push(d.actor, d.clientId, batch);
    const sent = batch.map((entry) => entry.mutation.id).join(',');
    const outcome = await store.push(d.actor, request.clientId, request.mutations).then(
      (response) => ({ response }),
      (error: unknown) => {
        if (error instanceof StoreRefusal) return { refusal: error };
        throw error;
      },
    );
    if ('refused' in predicted) {
      expect('refusal' in outcome ? { status: outcome.refusal.status, detail: outcome.refusal.detail } : outcome, `desk ${d.index} pushed [${sent}]: the model refuses it`).toEqual({ status: 409, detail: predicted.refused });
      stats.refusedBatches += 1;
    } else {
      expect('response' in outcome ? outcome.response : { refusal: (outcome as { refusal: StoreRefusal }).refusal.message }, `desk ${d.index} pushed [${sent}]`).toEqual(predicted.response);
      stats.applied += predicted.response.applied;
      stats.skipped += predicted.response.skipped;
    }
    return outcome;
  }

  /** Pulls to the end; checks each case the pull brings against the model, and updates the desk's view. */
  async function pullDesk(d: Desk): Promise<number> {
    const changes: Change[] = [];
    let lastMutationId = 0;
    for (let page = 0; ; page += 1) {
      const response = await store.pull(d.actor, d.clientId, d.cursor, 1000);
      changes.push(...response.changes);
      d.cursor = response.cursor;
      lastMutationId = response.lastMutationId;
      if (!response.hasMore) break;
      if (page > 50) throw new Error('pull never ended');
    }
    expect(lastMutationId, `desk ${d.index} pulled its last mutation id`).toBe(model.last(d.clientId));
    const seqs = changes.map((change) => change.seq);
    expect(seqs, 'pulled change numbers rise').toEqual([...new Set(seqs)].sort((a, b) => a - b));
    const newest = new Map<string, ServerCase>();
    for (const change of changes) if (change.entity === 'case') newest.set(change.entityId, change.data as ServerCase);
    for (const [caseId, data] of newest) {
      const expected = model.cases.get(caseId);
      expect(expected, `desk ${d.index} pulled case ${caseId}, which the model does not have`).toBeDefined();
      expect(pickKeys(data), `desk ${d.index} pulled case ${caseId}`).toEqual(expectedCase(expected!));
      expect(Object.fromEntries(Object.entries(data.fieldSeqs).map(([field, seq]) => [field, seq?.by])), `desk ${d.index} pulled who last wrote each field of ${caseId}`).toEqual(
        Object.fromEntries(Object.entries(expected!.last).map(([field, write]) => [field, write?.by])),
      );
      const view = d.view.get(caseId) ?? { type: data.fields.type, serverStatus: null, status: 'open', baseSeq: {}, seenWrite: {} };
      view.serverStatus = data.status;
      for (const field of editedFields) {
        const seq = data.fieldSeqs[field]?.seq;
        const write = expected!.last[field]?.write;
        if (seq === undefined) delete view.baseSeq[field];
        else view.baseSeq[field] = seq;
        if (write === undefined) delete view.seenWrite[field];
        else view.seenWrite[field] = write;
      }
      d.view.set(caseId, view);
    }
    rebase(d, lastMutationId);
    return lastMutationId;
  }

  async function snapshot() {
    const count = async (table: 'changes' | 'cases' | 'case_events' | 'conflicts' | 'sync_clients' | 'audit_log') =>
      Number((await store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const counter = await store.db.selectFrom('counters').select('value').where('name', '=', 'change').executeTakeFirstOrThrow();
    const clients = await store.db.selectFrom('sync_clients').select(['client_id', 'last_mutation_id']).orderBy('client_id').execute();
    const cases = await store.db.selectFrom('cases').select(['id', 'version', 'status', 'fields']).orderBy('id').execute();
    return {
      counter: Number(counter.value),
      rows: { changes: await count('changes'), cases: await count('cases'), caseEvents: await count('case_events'), conflicts: await count('conflicts'), clients: await count('sync_clients'), audits: await count('audit_log') },
      clients: clients.map((row) => [row.client_id, Number(row.last_mutation_id)]),
      cases: cases.map((row) => [row.id, Number(row.version), row.status, row.fields]),
    };
  }

  // Cases every desk knows from the start, so desks other than the creator edit them too.
  if (scenario.sharedCases > 0) {
    const creator = deskAt(0);
    for (let n = 0; n < scenario.sharedCases; n += 1) {
      ids += 1;
      commit(creator, { name: 'case.create', args: { caseId: uuid(0xa, ids), reference: `CC-${ids}`, type: 'feedback', channel: 'phone', callerId: null, eventId: eventId(), at: at() } });
    }
    const outcome = await send(creator, creator.outbox);
    if ('response' in outcome) creator.acked = outcome.response.lastMutationId;
    for (const d of desks) d.acked = await pullDesk(d);
  }

  for (const step of scenario.steps) {
    const d = deskAt(step.desk);
    switch (step.do) {
      case 'create': {
        ids += 1;
        const caseId = uuid(0xa, ids);
        commit(d, { name: 'case.create', args: { caseId, reference: `CC-${ids}`, type: step.type, channel: step.channel, callerId: null, eventId: eventId(), at: at() } });
        d.view.set(caseId, { type: step.type, serverStatus: null, status: 'open', baseSeq: {}, seenWrite: {} });
        break;
      }
      case 'edit': {
        const picked = pickCase(d, step.pick);
        if (!picked) break;
        const [caseId, view] = picked;
        const choices = fieldChoices[step.field];
        const choice = choices[step.choice % choices.length]!;
        const value = choice.value === 'unique' ? `${step.field} from desk ${d.index}, change ${d.outbox.length + 1}` : choice.value;
        commit(d, { name: 'case.updateField', args: { caseId, field: step.field, value, baseSeq: view.baseSeq[step.field] ?? null, eventId: eventId(), at: at() } }, view.seenWrite[step.field] ?? null);
        break;
      }
      case 'note': {
        const picked = pickCase(d, step.pick);
        if (!picked) break;
        ids += 1;
        const noteId = uuid(0xb, ids);
        const text = `Note ${ids} from desk ${d.index}.`;
        commit(d, { name: 'case.appendNote', args: { caseId: picked[0], noteId, text, at: at() } });
        d.notes.push({ caseId: picked[0], noteId, text });
        break;
      }
      case 'view': {
        const picked = pickCase(d, step.pick);
        if (!picked) break;
        commit(d, { name: 'case.viewed', args: { caseId: picked[0], from: step.from, at: at() } });
        break;
      }
      case 'list': {
        // The desk's cases from the picked one on, up to `count` of them, as a list shows them.
        const all = [...d.view.keys()];
        if (all.length === 0) break;
        const start = step.pick % all.length;
        const caseIds = all.slice(start, start + step.count);
        commit(d, { name: 'cases.listed', args: { caseIds, shownIn: step.shownIn, at: at() } });
        break;
      }
      case 'duplicateNote': {
        const again = d.notes.length === 0 ? undefined : d.notes[step.pick % d.notes.length];
        if (!again) break;
        commit(d, { name: 'case.appendNote', args: { ...again, at: at() } });
        break;
      }
      case 'duplicateCreate': {
        const picked = pickCase(d, step.pick);
        if (!picked) break;
        commit(d, { name: 'case.create', args: { caseId: picked[0], reference: 'CC-AGAIN', type: step.type, channel: 'web', callerId: null, eventId: eventId(), at: at() } });
        break;
      }
      case 'status': {
        const picked = pickCase(d, step.pick);
        if (!picked) break;
        const [caseId, view] = picked;
        const allowed = allowedTransitions(view.type, view.status);
        const to = allowed[step.choice % Math.max(allowed.length, 1)];
        if (!to) break;
        commit(d, { name: 'case.changeStatus', args: { caseId, from: view.status, to, eventId: eventId(), at: at() } });
        view.status = to;
        break;
      }
      case 'push':
      case 'loseAck': {
        const batch = d.outbox.slice(d.acked, d.acked + step.count);
        if (batch.length === 0) break;
        const outcome = await send(d, batch);
        if (step.do === 'loseAck') stats.lostAnswers += 1;
        else if ('response' in outcome) d.acked = outcome.response.lastMutationId;
        break;
      }
      case 'retry': {
        const batch = d.outbox.slice(step.from % Math.max(d.acked, 1), d.acked);
        if (batch.length === 0) break;
        const outcome = await send(d, batch);
        expect('response' in outcome && outcome.response.applied, `desk ${d.index} retried acknowledged mutations`).toBe(0);
        break;
      }
      case 'reorder': {
        const stored = model.last(d.clientId);
        const pending = d.outbox.slice(stored);
        let batch: Entry[];
        if (pending.length >= 2) {
          const i = step.pick % (pending.length - 1);
          batch = step.variant === 'swap' ? [...pending.slice(0, i), pending[i + 1]!, pending[i]!, ...pending.slice(i + 2)] : [...pending.slice(0, i), ...pending.slice(i + 1)];
        } else {
          // Not enough waiting to reorder: leave a gap with a mutation the desk never committed, which must not appear.
          ids += 1;
          const phantom: Mutation = { id: d.outbox.length + 2, name: 'case.create', args: { caseId: uuid(0xf, ids), reference: 'CC-PHANTOM', type: 'question', channel: 'sms', callerId: null, at: at() } };
          batch = [...pending, { mutation: phantom, seenWrite: null }];
        }
        const before = await snapshot();
        const outcome = await send(d, batch);
        expect('refusal' in outcome, `desk ${d.index} pushed [${batch.map((e) => e.mutation.id).join(',')}] out of order`).toBe(true);
        expect(await snapshot(), 'a refused batch leaves the store as it was').toEqual(before);
        break;
      }
      case 'crash': {
        // A restarted desktop has its outbox (committed to disk) but not what it believed the server had.
        d.acked = 0;
        if (step.loseCursor) d.cursor = 0;
        d.acked = await pullDesk(d);
        stats.crashes += 1;
        break;
      }
      case 'pull':
        d.acked = await pullDesk(d);
        break;
    }
  }

  // Everything still waiting goes, from what each desk believes the server has.
  for (const d of desks) {
    if (d.acked < d.outbox.length) {
      const outcome = await send(d, d.outbox.slice(d.acked));
      if ('response' in outcome) d.acked = outcome.response.lastMutationId;
    }
    expect(d.acked, `desk ${d.index} has pushed its whole outbox`).toBe(d.outbox.length);
  }
  for (const d of desks) await pullDesk(d);

  await checkFinalState(store, desks, model, stats);
  stats.runs += 1;
}

function pickKeys(data: ServerCase): Record<string, unknown> {
  return Object.fromEntries(MODELLED_CASE_KEYS.map((key) => [key, data[key]]));
}

function expectedCase(expected: ModelCase): Record<string, unknown> {
  return pickKeys({ ...expected, ownerId: expected.createdBy, fieldSeqs: {}, updatedAt: '' });
}

async function checkFinalState(store: CentralStore, desks: Desk[], model: StoreModel, stats: RunStats): Promise<void> {
  const reader = desks[0]!.actor;

  // Every case a desk reported opening or showing in a list has its audit row once (a replayed report adds none),
  // with the words for where it was shown and the time the desk showed it; read before the checks below, whose own
  // reads add rows. Compared case by case in time order (the store's order), as the desks' times are all different.
  const shownReasons = new Set<string>(Object.values(caseShownReasons));
  const deskReasons = new Set<string>([...Object.values(caseOpenReasons), ...shownReasons]);
  const viewRows: { userId: string; caseId: string; reason: string; at: string }[] = [];
  for (const caseId of model.cases.keys()) viewRows.push(...(await store.auditFor(caseId)).filter((row) => deskReasons.has(row.reason)));
  const inOrder = (rows: { caseId: string; at: string }[]) => [...rows].sort((a, b) => a.caseId.localeCompare(b.caseId) || a.at.localeCompare(b.at));
  expect(inOrder(viewRows), 'every case a desk opened or listed is in the audit log once').toEqual(inOrder(model.views));
  stats.views += viewRows.length;
  stats.listed += viewRows.filter((row) => shownReasons.has(row.reason)).length;

  // Each desk's mutations arrived exactly once each, in its outbox's order, and the server's last id is the count.
  for (const d of desks) {
    expect(model.arrivals.filter((arrival) => arrival.clientId === d.clientId).map((arrival) => arrival.id), `desk ${d.index}: every committed mutation arrived once`).toEqual(
      d.outbox.map((entry) => entry.mutation.id),
    );
    expect((await store.pull(d.actor, d.clientId, 0, 1)).lastMutationId, `desk ${d.index}: the server's last mutation id`).toBe(d.outbox.length);
  }

  // Every case created on a desk exists exactly once; nothing else does (no phantom, no duplicate).
  const committed = desks.flatMap((d) => d.outbox.map((entry) => entry.mutation));
  const createdIds = [...new Set(committed.flatMap((m) => (m.name === 'case.create' ? [m.args.caseId] : [])))].sort();
  const listed = (await store.listCases(reader, { limit: 10_000 })).map((c) => c.id).sort();
  expect(listed, 'the cases on the server are the cases created on the desks, once each').toEqual(createdIds);
  expect([...model.cases.keys()].sort()).toEqual(createdIds);

  const noteEvents: { id: string; body: string | null }[] = [];
  for (const expected of model.cases.values()) {
    const read = await store.readCase(reader, expected.id, 'test: sync model check');
    expect(read, `case ${expected.id} can be read`).not.toBeNull();
    const { case: actual, events, conflicts } = read!;
    expect(pickKeys(actual), `case ${expected.id}`).toEqual(expectedCase(expected));
    expect(
      // A server-made event id (`m:<change number>`, used when the desktop sent none) cannot be predicted.
      events.map((event) => ({ id: /^m:\d+$/.test(event.id) ? null : event.id, kind: event.kind, field: event.field, value: event.value, body: event.body, authorId: event.authorId })),
      `the timeline of case ${expected.id}`,
    ).toEqual(expected.events);
    expect(
      conflicts.map((conflict) => ({ field: conflict.field, kind: conflict.kind, losingValue: conflict.losingValue, losingBy: conflict.losingBy, winningValue: conflict.winningValue, winningBy: conflict.winningBy })),
      `the conflict log of case ${expected.id}`,
    ).toEqual(expected.conflicts);
    noteEvents.push(...events.filter((event) => event.kind === 'note').map((event) => ({ id: event.id, body: event.body })));

    // Independent of the model: no edit is lost. Every edit of a field is either in the timeline or in the
    // conflict log, once; and the field holds the value of its newest accepted edit, or its default.
    for (const field of editedFields) {
      for (const d of desks) {
        const sent = d.outbox.flatMap(({ mutation: m }) => (m.name === 'case.updateField' && m.args.caseId === expected.id && m.args.field === field ? [JSON.stringify(m.args.value)] : []));
        const kept = events.filter((event) => event.kind === 'field' && event.field === field && event.authorId === d.actor.userId).map((event) => JSON.stringify(event.value));
        const lost = conflicts.filter((conflict) => conflict.field === field && conflict.losingBy === d.actor.userId).map((conflict) => JSON.stringify(conflict.losingValue));
        expect([...kept, ...lost].sort(), `desk ${d.index}'s edits of ${field} on ${expected.id}: each kept or in the conflict log`).toEqual(sent.sort());
      }
      const newest = events.filter((event) => event.kind === 'field' && event.field === field).at(-1);
      const initial = defaultCaseFields(actual.fields.type, actual.fields.channel)[field];
      expect(actual.fields[field], `${field} of ${expected.id} is its newest accepted edit`).toEqual(newest ? newest.value : initial);
    }
    stats.staleEdits += conflicts.filter((c) => c.kind === 'stale-edit').length;
    stats.refusedValues += conflicts.filter((c) => c.kind === 'refused').length;
  }

  // Every note written on a desk exists exactly once, with its words.
  const notes = new Map(desks.flatMap((d) => d.notes.map((n) => [n.noteId, n.text] as const)));
  expect(noteEvents.map((n) => n.id).sort(), 'every note once').toEqual([...notes.keys()].sort());
  for (const n of noteEvents) expect(n.body).toBe(notes.get(n.id));
}

/** Checks the value table against the domain's own validation. */
export function checkFieldChoices(): void {
  for (const field of editedFields) {
    for (const choice of fieldChoices[field]) {
      const value = choice.value === 'unique' ? `${field} text` : choice.value;
      const checked = validateField(field, value);
      expect({ field, value, ok: checked.ok, stored: checked.ok ? checked.value : undefined }).toEqual({ field, value, ok: choice.valid, stored: choice.valid ? value : undefined });
    }
  }
}
