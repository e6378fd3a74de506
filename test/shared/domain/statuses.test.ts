import { describe, expect, it } from 'vitest';
import { caseTypes, type CaseType } from '../../../src-shared/domain/case-types';
import {
  allowedTransitions,
  canTransition,
  caseStatuses,
  feedbackStatuses,
  isCaseStatus,
  isOpenStatus,
  isResolvedStatus,
  questionStatuses,
  statusesFor,
  statusLabels,
  transitionError,
  type CaseStatus,
} from '../../../src-shared/domain/statuses';

// The expected table, written out in full rather than derived, so a change to the rules has to change it too.
const feedbackTable: Record<CaseStatus, CaseStatus[]> = {
  open: ['in-progress', 'escalated', 'responded', 'unable-to-resolve', 'referred-to-provider', 'unable-to-contact', 'abusive'],
  'in-progress': ['escalated', 'responded', 'unable-to-resolve', 'referred-to-provider', 'unable-to-contact', 'abusive'],
  escalated: ['in-progress', 'responded', 'unable-to-resolve', 'referred-to-provider', 'referred-to-ombudsman'],
  'referred-to-ombudsman': ['responded', 'unable-to-resolve'],
  responded: ['in-progress'],
  'unable-to-resolve': ['in-progress'],
  'referred-to-provider': ['in-progress'],
  'unable-to-contact': ['in-progress'],
  abusive: ['in-progress'],
  answered: [],
};

const questionTable: Record<CaseStatus, CaseStatus[]> = {
  open: ['answered'],
  answered: ['open'],
  'in-progress': [],
  responded: [],
  escalated: [],
  'unable-to-resolve': [],
  'referred-to-provider': [],
  'unable-to-contact': [],
  abusive: [],
  'referred-to-ombudsman': [],
};

const expectedTables: Record<CaseType, Record<CaseStatus, CaseStatus[]>> = {
  feedback: feedbackTable,
  question: questionTable,
  'general-enquiry': questionTable,
};

describe('case statuses', () => {
  it('lists the feedback and question statuses the service uses', () => {
    expect(feedbackStatuses).toEqual([
      'open',
      'in-progress',
      'responded',
      'escalated',
      'unable-to-resolve',
      'referred-to-provider',
      'unable-to-contact',
      'abusive',
      'referred-to-ombudsman',
    ]);
    expect(questionStatuses).toEqual(['open', 'answered']);
    expect([...caseStatuses].sort()).toEqual([...new Set([...feedbackStatuses, ...questionStatuses])].sort());
  });

  it('labels every status in words the handler knows', () => {
    expect(statusLabels).toEqual({
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
    });
  });

  it('gives feedback the feedback statuses, and questions and general enquiries open or answered', () => {
    expect(statusesFor('feedback')).toEqual(feedbackStatuses);
    expect(statusesFor('question')).toEqual(['open', 'answered']);
    expect(statusesFor('general-enquiry')).toEqual(['open', 'answered']);
  });

  it('counts open, in progress, escalated and referred to ombudsman as open, and everything else as closed', () => {
    const open = caseStatuses.filter(isOpenStatus);
    expect(open.sort()).toEqual(['escalated', 'in-progress', 'open', 'referred-to-ombudsman']);
  });

  it('counts a case referred to another provider as closed: it has been handed on', () => {
    expect(isOpenStatus('referred-to-provider')).toBe(false);
  });

  it('counts only responded and answered cases as resolved', () => {
    expect(caseStatuses.filter(isResolvedStatus).sort()).toEqual(['answered', 'responded']);
  });

  it('recognises only declared statuses', () => {
    for (const status of caseStatuses) expect(isCaseStatus(status)).toBe(true);
    for (const other of ['closed', 'Open', 'constructor', '']) expect(isCaseStatus(other)).toBe(false);
  });
});

describe('status transitions', () => {
  it('allows exactly the expected moves for every type, from every status to every status', () => {
    for (const type of caseTypes) {
      for (const from of caseStatuses) {
        expect({ type, from, to: [...allowedTransitions(type, from)].sort() }).toEqual({
          type,
          from,
          to: [...expectedTables[type][from]].sort(),
        });
        for (const to of caseStatuses) {
          const expected = expectedTables[type][from].includes(to);
          expect({ type, from, to, allowed: canTransition(type, from, to) }).toEqual({ type, from, to, allowed: expected });
          expect({ type, from, to, explained: transitionError(type, from, to) !== null }).toEqual({
            type,
            from,
            to,
            explained: !expected,
          });
        }
      }
    }
  });

  it('never moves a status to itself', () => {
    for (const type of caseTypes) {
      for (const status of caseStatuses) expect(canTransition(type, status, status)).toBe(false);
    }
  });

  it('lets every closed feedback status be reopened only as in progress', () => {
    for (const status of feedbackStatuses.filter((candidate) => !isOpenStatus(candidate))) {
      expect(allowedTransitions('feedback', status)).toEqual(['in-progress']);
    }
  });

  it('lets every open feedback status move to at least one closed status', () => {
    for (const status of feedbackStatuses.filter(isOpenStatus)) {
      expect(allowedTransitions('feedback', status).some((to) => !isOpenStatus(to))).toBe(true);
    }
  });

  it('returns nothing for a status the type cannot have, including inherited object keys', () => {
    expect(allowedTransitions('question', 'escalated')).toEqual([]);
    expect(allowedTransitions('feedback', 'answered')).toEqual([]);
    expect(allowedTransitions('feedback', 'toString' as CaseStatus)).toEqual([]);
    expect(allowedTransitions('question', '__proto__' as CaseStatus)).toEqual([]);
  });
});

describe('why a transition is refused', () => {
  it('tells the handler a question can only be open or answered', () => {
    expect(transitionError('question', 'open', 'escalated')).toBe('A question can only be open or answered.');
    expect(transitionError('question', 'in-progress', 'answered')).toBe('A question can only be open or answered.');
  });

  it('tells the handler a general enquiry can only be open or answered', () => {
    expect(transitionError('general-enquiry', 'answered', 'responded')).toBe('A general enquiry can only be open or answered.');
  });

  it('tells the handler a closed case can only be reopened as in progress', () => {
    expect(transitionError('feedback', 'responded', 'escalated')).toBe(
      'A case that is Responded to (resolved) can only be reopened as In progress.',
    );
    expect(transitionError('feedback', 'abusive', 'open')).toBe(
      'A case that is Abusive or vexatious can only be reopened as In progress.',
    );
  });

  it('tells the handler the case already has the status', () => {
    expect(transitionError('feedback', 'escalated', 'escalated')).toBe('The case is already Escalated.');
    expect(transitionError('question', 'open', 'open')).toBe('The case is already Open.');
  });

  it('tells the handler only an escalated case goes to the ombudsman', () => {
    expect(transitionError('feedback', 'open', 'referred-to-ombudsman')).toBe(
      'Only an escalated case can be referred to the ombudsman.',
    );
    expect(transitionError('feedback', 'in-progress', 'referred-to-ombudsman')).toBe(
      'Only an escalated case can be referred to the ombudsman.',
    );
  });

  it('lists where an open case may go instead', () => {
    expect(transitionError('feedback', 'referred-to-ombudsman', 'in-progress')).toBe(
      'A case that is Referred to ombudsman can only move to Responded to (resolved) or Unable to resolve.',
    );
    expect(transitionError('feedback', 'escalated', 'abusive')).toBe(
      'A case that is Escalated can only move to In progress (acknowledged), Responded to (resolved), Unable to resolve, Referred to another provider or Referred to ombudsman.',
    );
    expect(transitionError('feedback', 'in-progress', 'open')).toContain('can only move to Escalated, Responded to (resolved)');
  });

  it('tells the handler feedback is not marked answered', () => {
    expect(transitionError('feedback', 'open', 'answered')).toBe(
      'Feedback is not marked Answered: choose Responded to (resolved) when the caller has their answer.',
    );
  });

  it('tells the handler a feedback case left with a question status needs a supervisor to correct it', () => {
    expect(transitionError('feedback', 'answered', 'in-progress')).toBe(
      'Feedback cannot have the status Answered. Ask a supervisor to correct the case’s status.',
    );
  });

  it('returns null for an allowed move', () => {
    expect(transitionError('feedback', 'open', 'in-progress')).toBeNull();
    expect(transitionError('question', 'answered', 'open')).toBeNull();
  });
});
