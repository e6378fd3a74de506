import { describe, expect, it } from 'vitest';
import { checkSets, describeReport, isClean, type CommittedSet, type HeldSet } from './set-check';

const desks: CommittedSet[] = [
  { desk: 'A', cases: ['case-1', 'case-2'], notes: [{ id: 'note-1', caseId: 'case-1' }, { id: 'note-2', caseId: 'case-2' }] },
  { desk: 'B', cases: ['case-3'], notes: [{ id: 'note-3', caseId: 'case-1' }] },
];
const everything: HeldSet = {
  cases: ['case-1', 'case-2', 'case-3'],
  notes: [
    { id: 'note-1', caseId: 'case-1' },
    { id: 'note-2', caseId: 'case-2' },
    { id: 'note-3', caseId: 'case-1' },
  ],
};

describe('the set check', () => {
  it('passes when the server holds exactly what the desks committed', () => {
    const report = checkSets(desks, everything);
    expect(report).toEqual({ missing: [], duplicated: [], unexpected: [] });
    expect(isClean(report)).toBe(true);
  });

  it('names each committed case and note the server does not hold, with the desk that wrote it', () => {
    const report = checkSets(desks, { cases: ['case-1', 'case-2'], notes: everything.notes.filter((note) => note.id !== 'note-1') });
    expect(report.missing).toEqual([
      { kind: 'case', id: 'case-3', desk: 'B' },
      { kind: 'note', id: 'note-1', caseId: 'case-1', desk: 'A' },
    ]);
    expect(report.duplicated).toEqual([]);
    expect(isClean(report)).toBe(false);
  });

  it('finds a note held twice under one id, and a note stored again under a new id as one too many on its case', () => {
    const report = checkSets(desks, {
      cases: everything.cases,
      notes: [...everything.notes, { id: 'note-2', caseId: 'case-2' }, { id: 'note-3-again', caseId: 'case-1' }],
    });
    expect(report.duplicated).toEqual(
      expect.arrayContaining([
        { kind: 'note', id: 'note-2', caseId: 'case-2', count: 2 },
        { kind: 'case', id: 'case-1', count: 3, expected: 2 },
        { kind: 'case', id: 'case-2', count: 2, expected: 1 },
      ]),
    );
    expect(report.unexpected).toEqual([{ kind: 'note', id: 'note-3-again', caseId: 'case-1' }]);
    expect(report.missing).toEqual([]);
  });

  it('finds a case held twice, and a case and note no desk committed (the note is also one too many on its case)', () => {
    const report = checkSets(desks, { cases: [...everything.cases, 'case-1', 'case-9'], notes: [...everything.notes, { id: 'note-9', caseId: 'case-9' }] });
    expect(report.duplicated).toEqual([{ kind: 'case', id: 'case-1', count: 2 }, { kind: 'case', id: 'case-9', count: 1, expected: 0 }]);
    expect(report.unexpected).toEqual([
      { kind: 'case', id: 'case-9' },
      { kind: 'note', id: 'note-9', caseId: 'case-9' },
    ]);
  });

  it('reports two desks that both claim to have written the same note', () => {
    const report = checkSets([...desks, { desk: 'C', cases: [], notes: [{ id: 'note-1', caseId: 'case-1' }] }], everything);
    expect(report.duplicated).toEqual([{ kind: 'note', id: 'note-1', caseId: 'case-1', desk: 'C', count: 2 }]);
  });

  it('sums a report up in a line, with the first items of each list', () => {
    const report = checkSets(desks, { cases: ['case-1', 'case-2', 'case-3'], notes: [] });
    expect(describeReport(report, 1)).toBe('missing 3 [{"kind":"note","id":"note-1","caseId":"case-1","desk":"A"}]; duplicated 0; unexpected 0');
  });
});
