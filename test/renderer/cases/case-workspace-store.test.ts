import { describe, expect, it, vi } from 'vitest';
import type { Api } from '../../../src-renderer/api';
import { createCaseWorkspaceStore } from '../../../src-renderer/features/cases/case-workspace-store';
import { memoryDraftStorage } from '../../../src-renderer/features/cases/draft-storage';
import type { CaseDetail } from '../../../src-shared/contract/cases';
import { defaultCaseFields } from '../../../src-shared/domain/case-record';
import { fail, ok } from '../../../src-shared/result';

function detail(overrides: Partial<CaseDetail> = {}): CaseDetail {
  return {
    id: 'case-1',
    reference: 'CC-0000-0000',
    status: 'open',
    isOpen: true,
    fields: defaultCaseFields('feedback', 'phone'),
    ownerId: 'h',
    createdBy: 'h',
    createdAt: '2026-11-21T09:00:00.000Z',
    updatedAt: '2026-11-21T09:00:00.000Z',
    closedAt: null,
    version: 1,
    caller: null,
    provider: null,
    timeline: [],
    allowedStatuses: ['in-progress'],
    missing: [],
    conflicts: [],
    names: {},
    ...overrides,
  };
}

function fakeApi(stored: CaseDetail) {
  const saves: { field: string; value: unknown }[] = [];
  const api = {
    transport: 'websocket',
    on: () => () => undefined,
    request: vi.fn(async (name: string, input: Record<string, unknown>) => {
      if (name === 'cases.get' || name === 'cases.open') return ok(stored);
      if (name === 'cases.updateField') {
        saves.push({ field: input.field as string, value: input.value });
        if (input.field === 'contactPhone') return fail('invalid-input', 'refused', [{ path: 'contactPhone', message: 'Enter a UK phone number, like 07400 123456' }]);
        return ok({ caseId: stored.id, field: input.field, value: input.value, version: 2, updatedAt: stored.updatedAt, changed: true, missing: [] });
      }
      return fail('unknown-request', name);
    }),
  } as unknown as Api;
  return { api, saves };
}

describe('the case workspace store', () => {
  it('puts back and saves words that were typed but never reached the cache (reload or crash mid-save)', async () => {
    const drafts = memoryDraftStorage();
    drafts.write('case-1', 'description', 'Typed just before the window closed');
    const { api, saves } = fakeApi(detail());
    const store = createCaseWorkspaceStore(api, drafts);
    await store.getState().open('case-1', 'case-list');
    expect(store.getState().values?.description).toBe('Typed just before the window closed');
    await vi.waitFor(() => expect(saves).toEqual([{ field: 'description', value: 'Typed just before the window closed' }]));
    await vi.waitFor(() => expect(drafts.read('case-1')).toEqual({}));
    store.dispose();
  });

  it('writes every keystroke to the draft store before any save', async () => {
    const drafts = memoryDraftStorage();
    const { api } = fakeApi(detail());
    const store = createCaseWorkspaceStore(api, drafts);
    await store.getState().open('case-1', 'case-list');
    store.getState().setField('description', 'a');
    expect(drafts.read('case-1')).toEqual({ description: 'a' });
    store.dispose();
  });

  it('keeps a refused value in the form and in the drafts, with the message for its field', async () => {
    const drafts = memoryDraftStorage();
    const { api } = fakeApi(detail());
    const store = createCaseWorkspaceStore(api, drafts);
    await store.getState().open('case-1', 'case-list');
    store.getState().setField('contactPhone', '07700 900123');
    await vi.waitFor(() => expect(store.getState().fieldErrors.contactPhone).toBe('Enter a UK phone number, like 07400 123456'));
    expect(store.getState().values?.contactPhone).toBe('07700 900123');
    expect(drafts.read('case-1')).toEqual({ contactPhone: '07700 900123' });
    expect(store.getState().saveState.kind).toBe('failed');
    store.dispose();
  });
});

describe('a case open while sync brings changes to it', () => {
  it("shows a colleague's edit, a new message and the new status, and keeps what the handler is typing", async () => {
    let stored = detail({ fields: { ...defaultCaseFields('feedback', 'phone'), description: 'First words', department: 'Cardiology' } });
    const api = {
      transport: 'websocket',
      on: () => () => undefined,
      request: vi.fn(async (name: string) => (name === 'cases.get' || name === 'cases.open' ? ok(stored) : ok({ caseId: 'case-1', field: 'description', value: '', version: 2, updatedAt: stored.updatedAt, changed: true, missing: [] }))),
    } as unknown as Api;
    const drafts = memoryDraftStorage();
    const store = createCaseWorkspaceStore(api, drafts);
    await store.getState().open('case-1', 'case-list');
    // The handler is typing in the description (not yet saved); a colleague changed the department and the status,
    // and the patient's reply arrived.
    store.getState().setField('description', 'First words, and more being typed');
    const message = { id: 'm1', caseId: 'case-1', kind: 'message', field: null, oldValue: null, newValue: { direction: 'inbound', channel: 'sms' }, body: 'Thank you', authorId: 'intake', authorName: 'Patient (SMS)', at: '2026-11-21T10:00:00.000Z' };
    stored = detail({ status: 'in-progress', fields: { ...stored.fields, department: 'Maternity', description: 'First words' }, timeline: [message as never], version: 3 });
    await store.getState().refreshFromSync('case-1');
    const state = store.getState();
    expect(state.values?.department).toBe('Maternity');
    expect(state.values?.description).toBe('First words, and more being typed');
    expect(state.detail?.status).toBe('in-progress');
    expect(state.detail?.timeline.map((event) => event.body)).toEqual(['Thank you']);
    // Opening the case is the handler's read, reported for the audit log with where it was opened from; the
    // refresh that sync asked for is not another read.
    expect(vi.mocked(api.request).mock.calls.map(([name, input]) => [name, input])).toEqual(
      expect.arrayContaining([
        ['cases.open', { caseId: 'case-1', from: 'case-list' }],
        ['cases.get', { caseId: 'case-1' }],
      ]),
    );
    expect(vi.mocked(api.request).mock.calls.filter(([name]) => name === 'cases.open')).toHaveLength(1);
    store.dispose();
  });

  it('ignores changes to a case that is no longer open', async () => {
    const { api } = fakeApi(detail());
    const store = createCaseWorkspaceStore(api, memoryDraftStorage());
    await store.getState().open('case-1', 'case-list');
    await store.getState().refreshFromSync('case-2');
    expect(store.getState().detail?.id).toBe('case-1');
    store.dispose();
  });
});
