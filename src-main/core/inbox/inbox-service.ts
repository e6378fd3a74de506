import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import type { CaseDetail, CaseEvent } from '../../../src-shared/contract/cases';
import { validateNote } from '../../../src-shared/domain/case-record';
import type { CaseStatus } from '../../../src-shared/domain/statuses';
import type { AuthorisedRequest } from '../api/authorised-request';
import type { CaseRepository } from '../cases/case-repository';
import { invalidField, RefusedError } from '../errors';

const claimedSchema = z.object({ id: z.string(), reference: z.string(), ownerId: z.string() });
/** The API's answer to a reply: the outbound message as it recorded it on the case. */
const sentMessageSchema = z.object({
  id: z.string(),
  caseId: z.string(),
  kind: z.literal('message'),
  value: z.object({ direction: z.enum(['inbound', 'outbound']), channel: z.string() }).loose(),
  body: z.string(),
  authorId: z.string(),
  authorName: z.string(),
  at: z.string(),
});

/**
 * The shared inbox's actions. Claiming and replying happen on the central API (only it can decide who was first, and
 * only it can send an SMS or an email); each answer is written into the local cache at once, and the same change
 * arrives again by sync, where it is kept once (by the case's row and the message's id). Resolving is a local change
 * like any other (it works offline): the disposition as a note and the case's resolved status, in one transaction,
 * both pushed through the outbox.
 */
export function createInboxService(
  db: Database,
  deps: { request: AuthorisedRequest; cases: CaseRepository; newId: () => string; afterRemoteWrite: () => void },
) {
  const setOwner = db.prepare<[string, string]>('UPDATE cases SET owner_id = ? WHERE id = ?');
  const insertMessage = db.prepare(`
    INSERT INTO case_events (id, case_id, kind, field, old_value, new_value, body, author_id, author_name, at)
    VALUES (@id, @caseId, 'message', NULL, NULL, @value, @body, @authorId, @authorName, @at)
    ON CONFLICT (id) DO NOTHING`);
  const disposition = db.prepare<[string], { label: string }>('SELECT label FROM dispositions WHERE id = ? AND active = 1');
  const path = (caseId: string, action: string) => `/cases/${encodeURIComponent(caseId)}/${action}`;

  const resolveTx = db.transaction((caseId: string, label: string, to: CaseStatus): CaseDetail => {
    deps.cases.appendNote(caseId, `Disposition: ${label}`);
    return deps.cases.changeStatus(caseId, to);
  });

  return {
    async claim(caseId: string): Promise<{ caseId: string; ownerId: string }> {
      deps.cases.get(caseId);
      const claimed = await deps.request('POST', path(caseId, 'claim'), {}, claimedSchema);
      setOwner.run(claimed.ownerId, caseId);
      deps.afterRemoteWrite();
      return { caseId, ownerId: claimed.ownerId };
    },

    async reply(caseId: string, text: string): Promise<CaseEvent> {
      deps.cases.get(caseId);
      const checked = validateNote(text);
      if (!checked.ok) throw invalidField('body', text.trim() === '' ? 'Write the reply before sending it.' : checked.message.replace('A note', 'A reply'));
      const sent = await deps.request('POST', path(caseId, 'messages'), { body: checked.text, messageId: deps.newId() }, sentMessageSchema);
      insertMessage.run({ id: sent.id, caseId, value: JSON.stringify(sent.value), body: sent.body, authorId: sent.authorId, authorName: sent.authorName, at: sent.at });
      deps.afterRemoteWrite();
      return { id: sent.id, caseId, kind: 'message', field: null, oldValue: null, newValue: sent.value, body: sent.body, authorId: sent.authorId, authorName: sent.authorName, at: sent.at };
    },

    /** Closes the contact as resolved (answered, or responded to for feedback) with the disposition on its timeline. */
    resolve(caseId: string, dispositionId: string): CaseDetail {
      const found = disposition.get(dispositionId);
      if (!found) throw invalidField('dispositionId', 'Choose a disposition from the list.');
      const current = deps.cases.get(caseId);
      if (!current.isOpen) throw new RefusedError('invalid-input', 'This contact is already closed.');
      const to: CaseStatus = current.fields.type === 'feedback' ? 'responded' : 'answered';
      return resolveTx.immediate(caseId, found.label, to);
    },
  };
}

export type InboxService = ReturnType<typeof createInboxService>;
