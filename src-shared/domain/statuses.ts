import type { CaseType } from './case-types';

export const feedbackStatuses = [
  'open',
  'in-progress',
  'responded',
  'escalated',
  'unable-to-resolve',
  'referred-to-provider',
  'unable-to-contact',
  'abusive',
  'referred-to-ombudsman',
] as const;
export type FeedbackStatus = (typeof feedbackStatuses)[number];

/** Questions and general enquiries have a simpler life: open until answered. */
export const questionStatuses = ['open', 'answered'] as const;
export type QuestionStatus = (typeof questionStatuses)[number];

export type CaseStatus = FeedbackStatus | QuestionStatus;

/** Every status once, feedback statuses first. */
export const caseStatuses: readonly CaseStatus[] = [...feedbackStatuses, 'answered'];

export const statusLabels: Record<CaseStatus, string> = {
  open: 'Open',
  'in-progress': 'In progress (acknowledged)',
  responded: 'Responded to (resolved)',
  escalated: 'Escalated',
  'unable-to-resolve': 'Unable to resolve',
  'referred-to-provider': 'Referred to another provider',
  'unable-to-contact': 'Unable to contact',
  abusive: 'Abusive or vexatious',
  'referred-to-ombudsman': 'Referred to ombudsman',
  answered: 'Answered',
};

export function isCaseStatus(value: unknown): value is CaseStatus {
  return typeof value === 'string' && (caseStatuses as readonly string[]).includes(value);
}

/** The statuses a case of this type may have. */
export function statusesFor(type: CaseType): readonly CaseStatus[] {
  return type === 'feedback' ? feedbackStatuses : questionStatuses;
}

/**
 * The open set is work someone still owes the caller. The service's own lists leave 'referred-to-provider' out of
 * both sets; we count it as closed: the case has been handed on to another provider, and this desk owes nothing
 * more on it unless it is reopened.
 */
const openStatuses: ReadonlySet<CaseStatus> = new Set<CaseStatus>(['open', 'in-progress', 'escalated', 'referred-to-ombudsman']);

export function isOpenStatus(status: CaseStatus): boolean {
  return openStatuses.has(status);
}

/** True when the caller got what they came for; these are the cases counted in cost per resolved query. */
export function isResolvedStatus(status: CaseStatus): boolean {
  return status === 'responded' || status === 'answered';
}

// Every closed status can only be reopened, and a reopened case is being worked on again.
const reopen: readonly FeedbackStatus[] = ['in-progress'];

const feedbackTransitions: Readonly<Record<FeedbackStatus, readonly FeedbackStatus[]>> = {
  open: ['in-progress', 'escalated', 'responded', 'unable-to-resolve', 'referred-to-provider', 'unable-to-contact', 'abusive'],
  'in-progress': ['escalated', 'responded', 'unable-to-resolve', 'referred-to-provider', 'unable-to-contact', 'abusive'],
  escalated: ['in-progress', 'responded', 'unable-to-resolve', 'referred-to-provider', 'referred-to-ombudsman'],
  'referred-to-ombudsman': ['responded', 'unable-to-resolve'],
  responded: reopen,
  'unable-to-resolve': reopen,
  'referred-to-provider': reopen,
  'unable-to-contact': reopen,
  abusive: reopen,
};

const questionTransitions: Readonly<Record<QuestionStatus, readonly QuestionStatus[]>> = {
  open: ['answered'],
  answered: ['open'],
};

const noTransitions: readonly CaseStatus[] = [];

/** The statuses a case of this type may move to from `from`; none when `from` is not a status the type has. */
export function allowedTransitions(type: CaseType, from: CaseStatus): readonly CaseStatus[] {
  if (type === 'feedback') {
    return Object.hasOwn(feedbackTransitions, from) ? feedbackTransitions[from as FeedbackStatus] : noTransitions;
  }
  return Object.hasOwn(questionTransitions, from) ? questionTransitions[from as QuestionStatus] : noTransitions;
}

export function canTransition(type: CaseType, from: CaseStatus, to: CaseStatus): boolean {
  return allowedTransitions(type, from).includes(to);
}

const typeSubjects: Record<CaseType, string> = {
  question: 'A question',
  feedback: 'Feedback',
  'general-enquiry': 'A general enquiry',
};

/** Joins labels the way a sentence does: 'A', 'A or B', 'A, B or C'. */
function listOf(statuses: readonly CaseStatus[]): string {
  const labels = statuses.map((status) => statusLabels[status]);
  if (labels.length <= 1) return labels.join('');
  return `${labels.slice(0, -1).join(', ')} or ${labels[labels.length - 1]}`;
}

/**
 * Why a case may not move from one status to another, in a sentence the handler can act on; null when it may.
 */
export function transitionError(type: CaseType, from: CaseStatus, to: CaseStatus): string | null {
  if (canTransition(type, from, to)) return null;
  const valid = statusesFor(type);
  if (type !== 'feedback' && (!valid.includes(from) || !valid.includes(to))) {
    return `${typeSubjects[type]} can only be open or answered.`;
  }
  if (!valid.includes(to)) {
    return `Feedback is not marked ${statusLabels[to]}: choose Responded to (resolved) when the caller has their answer.`;
  }
  if (!valid.includes(from)) {
    return `Feedback cannot have the status ${statusLabels[from]}. Ask a supervisor to correct the case’s status.`;
  }
  if (from === to) return `The case is already ${statusLabels[from]}.`;
  if (!isOpenStatus(from)) return `A case that is ${statusLabels[from]} can only be reopened as In progress.`;
  if (to === 'referred-to-ombudsman') return 'Only an escalated case can be referred to the ombudsman.';
  return `A case that is ${statusLabels[from]} can only move to ${listOf(allowedTransitions(type, from))}.`;
}
