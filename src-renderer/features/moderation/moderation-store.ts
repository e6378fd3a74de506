import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ApproveOutcome, ModerationQueueFilter, ModerationQueueItem, ModerationView, RemainingDetail } from '../../../src-shared/contract/moderation';
import type { IdentifyingSpan } from '../../../src-shared/moderation/identifying-details';
import type { Api } from '../../api';
import { detailKey } from './highlighted-text';

/** What the last action came to, kept on screen until the next one. */
export interface ModerationOutcome {
  tone: 'done' | 'refused';
  text: string;
}

/** One text the moderator may publish (the description, or the provider's response) with its override reasons. */
export interface PublishableText {
  text: string;
  /** Why a detail may be published anyway, by `detailKey`; only details still in the text are sent. */
  reasons: Record<string, string>;
  /** The details the API refused the last attempt for, each with its own sentence; cleared when it is accepted. */
  refused: RemainingDetail[];
  refusal: string | null;
}

export interface ModerationState {
  filter: ModerationQueueFilter;
  queue: ModerationQueueItem[];
  queueStatus: 'loading' | 'ready' | 'error';
  queueProblem: string | null;
  openCaseId: string | null;
  view: ModerationView | null;
  viewProblem: string | null;
  description: PublishableText;
  response: PublishableText;
  rejectReason: string;
  busy: null | 'loading' | 'save' | 'approve' | 'reject' | 'response';
  outcome: ModerationOutcome | null;
  loadQueue(filter?: ModerationQueueFilter): Promise<void>;
  open(caseId: string): Promise<void>;
  close(): void;
  setText(which: 'description' | 'response', text: string): void;
  setReason(which: 'description' | 'response', key: string, reason: string): void;
  setRejectReason(reason: string): void;
  saveDraft(): Promise<void>;
  /** Approves the description: `details` is what the desk's finder sees in it now, so only reasons for those are sent. */
  approve(details: readonly IdentifyingSpan[]): Promise<void>;
  reject(): Promise<void>;
  publishResponse(details: readonly IdentifyingSpan[]): Promise<void>;
}

const empty = (text = ''): PublishableText => ({ text, reasons: {}, refused: [], refusal: null });

/** The overrides to send: a reason for each detail still in the text that the moderator gave one for. */
function overridesFor(entry: PublishableText, details: readonly IdentifyingSpan[]) {
  const seen = new Set<string>();
  const overrides: { kind: IdentifyingSpan['kind']; text: string; reason: string }[] = [];
  for (const detail of [...details, ...entry.refused]) {
    const key = detailKey(detail);
    const reason = entry.reasons[key]?.trim();
    if (!reason || seen.has(key)) continue;
    seen.add(key);
    overrides.push({ kind: detail.kind, text: detail.text, reason });
  }
  return overrides;
}

/**
 * The moderation screen's state: the queue (oldest first, as the API lists it), the one case open, the moderated
 * description being written with the reasons given for details kept, and the provider's response. Every decision is
 * the central API's; a refusal for details that remain comes back detail by detail and is shown beside each.
 */
export function createModerationStore(api: Api): StoreApi<ModerationState> {
  let queueTicket = 0;
  let openTicket = 0;
  return createStore<ModerationState>()((set, get) => {
    async function refresh(caseId: string): Promise<void> {
      const result = await api.request('moderation.get', { caseId });
      if (get().openCaseId !== caseId) return;
      if (result.ok) set({ view: result.value });
    }

    /** Keeps a refusal's details beside the form, or clears them once accepted; true when accepted. */
    function applyOutcome(which: 'description' | 'response', outcome: ApproveOutcome): boolean {
      const entry = get()[which];
      if (outcome.outcome === 'details-remain') {
        // Shown once, as the form's error summary beside the fields, not again as a banner.
        set({ [which]: { ...entry, refused: outcome.details, refusal: outcome.message }, outcome: null } as Partial<ModerationState>);
        return false;
      }
      set({ [which]: { ...entry, refused: [], refusal: null } } as Partial<ModerationState>);
      return true;
    }

    return {
      filter: 'pending',
      queue: [],
      queueStatus: 'loading',
      queueProblem: null,
      openCaseId: null,
      view: null,
      viewProblem: null,
      description: empty(),
      response: empty(),
      rejectReason: '',
      busy: null,
      outcome: null,

      async loadQueue(filter = get().filter) {
        const ticket = ++queueTicket;
        set({ filter, queueStatus: 'loading' });
        const result = await api.request('moderation.queue', { state: filter });
        if (ticket !== queueTicket) return;
        if (result.ok) set({ queue: result.value.items, queueStatus: 'ready', queueProblem: null });
        else set({ queueStatus: 'error', queueProblem: result.error.message });
      },

      async open(caseId) {
        const ticket = ++openTicket;
        set({ openCaseId: caseId, view: null, viewProblem: null, busy: 'loading', outcome: null, rejectReason: '', description: empty(), response: empty() });
        const result = await api.request('moderation.get', { caseId });
        if (ticket !== openTicket) return;
        if (!result.ok) {
          set({ busy: null, viewProblem: result.error.message });
          return;
        }
        const view = result.value;
        // Start from the saved draft, or the text approved so far; never from the caller's words.
        set({ busy: null, view, description: empty(view.draft || view.approvedText || ''), response: empty(view.providerResponse?.text ?? '') });
      },

      close() {
        ++openTicket;
        set({ openCaseId: null, view: null, viewProblem: null, outcome: null, busy: null });
      },

      setText(which, text) {
        set({ [which]: { ...get()[which], text } } as Partial<ModerationState>);
      },

      setReason(which, key, reason) {
        const entry = get()[which];
        set({ [which]: { ...entry, reasons: { ...entry.reasons, [key]: reason } } } as Partial<ModerationState>);
      },

      setRejectReason(reason) {
        set({ rejectReason: reason });
      },

      async saveDraft() {
        const { openCaseId: caseId, description } = get();
        if (!caseId) return;
        set({ busy: 'save', outcome: null });
        const result = await api.request('moderation.saveDraft', { caseId, text: description.text });
        if (get().openCaseId !== caseId) return;
        if (!result.ok) {
          set({ busy: null, outcome: { tone: 'refused', text: `The draft was not saved: ${result.error.message}` } });
          return;
        }
        set({ busy: null, outcome: { tone: 'done', text: 'Draft saved. It is not published.' } });
        await refresh(caseId);
        void get().loadQueue();
      },

      async approve(details) {
        const { openCaseId: caseId, description, view } = get();
        if (!caseId || !view) return;
        set({ busy: 'approve', outcome: null });
        const result = await api.request('moderation.approve', { caseId, text: description.text, overrides: overridesFor(description, details) });
        if (get().openCaseId !== caseId) return;
        set({ busy: null });
        if (!result.ok) {
          set({ outcome: { tone: 'refused', text: `Not approved: ${result.error.message}` } });
          return;
        }
        if (!applyOutcome('description', result.value)) return;
        const outcome = result.value;
        const text =
          outcome.outcome === 'approved' && outcome.state === 'awaiting-second'
            ? 'Approved. This case needs a second moderator: another supervisor must approve the same text before it is published.'
            : 'Approved and published. Only the moderated description is in the public feed.';
        set({ outcome: { tone: 'done', text } });
        await refresh(caseId);
        void get().loadQueue();
      },

      async reject() {
        const { openCaseId: caseId, rejectReason } = get();
        if (!caseId) return;
        set({ busy: 'reject', outcome: null });
        const result = await api.request('moderation.reject', { caseId, reason: rejectReason });
        if (get().openCaseId !== caseId) return;
        set({ busy: null });
        if (!result.ok) {
          set({ outcome: { tone: 'refused', text: `Not rejected: ${result.error.message}` } });
          return;
        }
        set({ rejectReason: '', outcome: { tone: 'done', text: result.value.withdrawn ? 'Withdrawn from the public feed.' : 'Rejected: it will not be published.' } });
        await refresh(caseId);
        void get().loadQueue();
      },

      async publishResponse(details) {
        const { openCaseId: caseId, response } = get();
        if (!caseId) return;
        set({ busy: 'response', outcome: null });
        const result = await api.request('moderation.publishResponse', { caseId, text: response.text, overrides: overridesFor(response, details) });
        if (get().openCaseId !== caseId) return;
        set({ busy: null });
        if (!result.ok) {
          set({ outcome: { tone: 'refused', text: `The response was not published: ${result.error.message}` } });
          return;
        }
        if (!applyOutcome('response', result.value)) return;
        set({ outcome: { tone: 'done', text: 'The provider’s response is published beside the feedback.' } });
        await refresh(caseId);
      },
    };
  });
}

export type ModerationStore = StoreApi<ModerationState>;
