import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CaseDetail, CaseEvent, CaseOpenedFrom, FieldSaved, Provider } from '../../../src-shared/contract/cases';
import type { CaseFieldName, CaseFields } from '../../../src-shared/domain/case-record';
import type { CaseType, Channel } from '../../../src-shared/domain/case-types';
import type { CaseStatus } from '../../../src-shared/domain/statuses';
import type { FieldIssue } from '../../../src-shared/result';
import type { Api } from '../../api';
import { createAutosaver, type SaveState } from './autosave';
import type { DraftStorage } from './draft-storage';

/** How long after the first unsaved change a field is saved. The issue's promise is 300 ms; this leaves room. */
export const AUTOSAVE_DELAY_MS = 200;
const TIMELINE_REFRESH_MS = 800;

export interface CaseWorkspaceState {
  detail: CaseDetail | null;
  /** The provider chosen in the form, with its departments. */
  provider: Provider | null;
  /** What the form shows: the stored values with any unsaved edits on top. */
  values: CaseFields | null;
  fieldErrors: Partial<Record<CaseFieldName | 'note' | 'status', string>>;
  saveState: SaveState;
  /** What must be filled in before the case can be closed (from the last save). */
  missing: FieldIssue[];
  loading: boolean;
  loadError: string | null;
  noteBusy: boolean;
  statusBusy: boolean;
  /** Shows a case; `from` says where the handler opened it, the reason the central audit log records for the read. */
  open(caseId: string, from: CaseOpenedFrom): Promise<void>;
  create(type: CaseType, channel: Channel, callerId?: string | null): Promise<CaseDetail | null>;
  setField<K extends CaseFieldName>(field: K, value: CaseFields[K] | string): void;
  chooseProvider(provider: Provider | null): void;
  addNote(text: string): Promise<boolean>;
  changeStatus(status: CaseStatus): Promise<boolean>;
  close(): Promise<void>;
  /** Sends unsaved values now (page hide, switching case). */
  flush(): void;
  /**
   * Sync changed this case (a colleague's edit, a conflict, a patient's message): show it, without touching any
   * field the handler is editing or has not yet saved.
   */
  refreshFromSync(caseId: string): Promise<void>;
}

/**
 * The case being worked on. Every edit goes to local storage at once (so a reload or a crash cannot lose it) and to
 * the main process within AUTOSAVE_DELAY_MS; a refused value stays in the form with its message beside it.
 */
export function createCaseWorkspaceStore(
  api: Api,
  drafts: DraftStorage,
  onCaseChanged: (caseId: string) => void = () => undefined,
): StoreApi<CaseWorkspaceState> & { dispose(): void } {
  let autosaver: ReturnType<typeof createAutosaver<FieldSaved>> | null = null;
  let timelineTimer: ReturnType<typeof setTimeout> | null = null;

  const store = createStore<CaseWorkspaceState>()((set, get) => {
    function startAutosaver(caseId: string) {
      autosaver?.dispose();
      autosaver = createAutosaver<FieldSaved>(
        {
          save: (field, value) => api.request('cases.updateField', { caseId, field, value }),
          onSaved(field, sent, result) {
            drafts.clear(caseId, field, sent);
            const { detail, values, fieldErrors } = get();
            if (!detail || detail.id !== caseId) return;
            const nextErrors = { ...fieldErrors };
            delete nextErrors[field as CaseFieldName];
            const stillEditing = JSON.stringify(values?.[field as CaseFieldName]) !== JSON.stringify(sent);
            set({
              detail: { ...detail, fields: { ...detail.fields, [field]: result.value }, version: result.version, updatedAt: result.updatedAt },
              // Show the stored (normalised) value unless the handler has typed on since.
              values: values && !stillEditing ? { ...values, [field]: result.value } : values,
              fieldErrors: nextErrors,
              missing: result.missing,
            });
            if (result.changed) {
              onCaseChanged(caseId);
              refreshTimelineSoon(caseId);
            }
          },
          onFieldError(field, message) {
            set({ fieldErrors: { ...get().fieldErrors, [field]: message } });
          },
          onStateChange(saveState) {
            set({ saveState });
          },
        },
        { delayMs: AUTOSAVE_DELAY_MS },
      );
    }

    /** Field saves add timeline entries in the core; fetch them once the handler pauses, leaving the form alone. */
    function refreshTimelineSoon(caseId: string) {
      if (timelineTimer !== null) clearTimeout(timelineTimer);
      timelineTimer = setTimeout(() => {
        timelineTimer = null;
        void api.request('cases.get', { caseId }).then((result) => {
          const current = get().detail;
          if (!result.ok || !current || current.id !== caseId) return;
          set({
            detail: {
              ...current,
              timeline: result.value.timeline,
              names: result.value.names,
              caller: result.value.caller,
              allowedStatuses: result.value.allowedStatuses,
            },
          });
        });
      }, TIMELINE_REFRESH_MS);
    }

    function show(detail: CaseDetail) {
      const pending = drafts.read(detail.id);
      const values = { ...detail.fields, ...pending } as CaseFields;
      set({
        detail,
        values,
        provider: detail.provider,
        missing: detail.missing,
        fieldErrors: {},
        loading: false,
        loadError: null,
        saveState: { kind: 'idle' },
      });
      startAutosaver(detail.id);
      // Edits that never reached the cache (the window was closed or reloaded mid-save) are saved now.
      for (const [field, value] of Object.entries(pending)) {
        if (JSON.stringify(detail.fields[field as CaseFieldName]) !== JSON.stringify(value)) autosaver!.change(field, value);
        else drafts.clear(detail.id, field, value);
      }
    }

    return {
      detail: null,
      provider: null,
      values: null,
      fieldErrors: {},
      saveState: { kind: 'idle' },
      missing: [],
      loading: false,
      loadError: null,
      noteBusy: false,
      statusBusy: false,

      async open(caseId, from) {
        if (get().detail?.id === caseId) return;
        autosaver?.flush();
        set({ loading: true, loadError: null });
        const result = await api.request('cases.open', { caseId, from });
        if (result.ok) show(result.value);
        else set({ loading: false, loadError: result.error.message });
      },

      async create(type, channel, callerId = null) {
        autosaver?.flush();
        const result = await api.request('cases.create', { type, channel, callerId });
        if (!result.ok) {
          set({ loadError: result.error.message });
          return null;
        }
        show(result.value);
        onCaseChanged(result.value.id);
        return result.value;
      },

      setField(field, value) {
        const { detail, values } = get();
        if (!detail || !values) return;
        drafts.write(detail.id, field, value);
        set({ values: { ...values, [field]: value } });
        autosaver?.change(field, value);
      },

      chooseProvider(provider) {
        const { values } = get();
        set({ provider });
        get().setField('providerId', provider?.id ?? null);
        // A department belongs to one provider: keep it only if the new provider has it too.
        if (values?.department && !provider?.departments.includes(values.department)) get().setField('department', null);
      },

      async addNote(text) {
        const { detail } = get();
        if (!detail) return false;
        set({ noteBusy: true });
        const result = await api.request('cases.addNote', { caseId: detail.id, text });
        const current = get().detail;
        if (!result.ok) {
          set({ noteBusy: false, fieldErrors: { ...get().fieldErrors, note: result.error.issues?.[0]?.message ?? result.error.message } });
          return false;
        }
        const errors = { ...get().fieldErrors };
        delete errors.note;
        set({
          noteBusy: false,
          fieldErrors: errors,
          detail: current && current.id === detail.id ? { ...current, timeline: [...current.timeline, result.value as CaseEvent] } : current,
        });
        onCaseChanged(detail.id);
        return true;
      },

      async changeStatus(status) {
        const { detail } = get();
        if (!detail) return false;
        set({ statusBusy: true });
        autosaver?.flush();
        await autosaver?.idle();
        const result = await api.request('cases.changeStatus', { caseId: detail.id, status });
        if (!result.ok) {
          const issues = result.error.issues ?? [];
          const errors: CaseWorkspaceState['fieldErrors'] = { ...get().fieldErrors, status: result.error.message };
          for (const issue of issues) if (issue.path !== 'status') errors[issue.path as CaseFieldName] = issue.message;
          set({ statusBusy: false, fieldErrors: errors });
          return false;
        }
        const errors = { ...get().fieldErrors };
        delete errors.status;
        set({ statusBusy: false, detail: result.value, missing: result.value.missing, fieldErrors: errors });
        onCaseChanged(detail.id);
        return true;
      },

      async close() {
        autosaver?.flush();
        await autosaver?.idle();
        autosaver?.dispose();
        autosaver = null;
        set({ detail: null, provider: null, values: null, fieldErrors: {}, missing: [], saveState: { kind: 'idle' } });
      },

      flush() {
        autosaver?.flush();
      },

      async refreshFromSync(caseId) {
        const result = await api.request('cases.get', { caseId });
        const { detail, values } = get();
        if (!result.ok || !detail || detail.id !== caseId || !values) return;
        const fresh = result.value;
        const unsaved = drafts.read(caseId);
        const nextValues = { ...values } as Record<string, unknown>;
        const shown = values as unknown as Record<string, unknown>;
        const before = detail.fields as unknown as Record<string, unknown>;
        for (const [field, value] of Object.entries(fresh.fields)) {
          const editing = field in unsaved || JSON.stringify(shown[field]) !== JSON.stringify(before[field]);
          if (!editing) nextValues[field] = value;
        }
        const providerKept = nextValues.providerId !== fresh.fields.providerId;
        set({ detail: fresh, values: nextValues as unknown as CaseFields, missing: fresh.missing, provider: providerKept ? get().provider : fresh.provider });
      },
    };
  });

  return Object.assign(store, {
    dispose: () => {
      autosaver?.dispose();
      if (timelineTimer !== null) clearTimeout(timelineTimer);
    },
  });
}
