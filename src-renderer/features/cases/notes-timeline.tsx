import { forwardRef, useRef, useState } from 'react';
import type { CaseEvent } from '../../../src-shared/contract/cases';
import { CASE_LIMITS } from '../../../src-shared/domain/case-record';
import { describeValue, fieldLabels, formatWhen } from './case-labels';
import { authorLabel, callWords, messageWords, moderationWords, providerWords } from './event-words';

/**
 * Adds a note: Ctrl+Enter (or the button) appends it; a note that was refused keeps its text in the box. Nothing
 * typed while a note is being saved is lost: once it is in, only the words that were sent leave the box (what was
 * typed after them stays), and a Ctrl+Enter pressed meanwhile adds the next note as soon as the one before is in.
 */
export const NoteComposer = forwardRef<HTMLTextAreaElement, { busy: boolean; error: string | undefined; onAdd: (text: string) => Promise<boolean> }>(
  function NoteComposer(props, ref) {
    const [text, setText] = useState('');
    // The box's words as of now (an answer may arrive between renders), and the save under way.
    const latest = useRef('');
    const saving = useRef<Promise<void> | null>(null);
    function change(next: string) {
      latest.current = next;
      setText(next);
    }
    async function add() {
      while (saving.current) await saving.current;
      const sent = latest.current;
      const save = (async () => {
        if (!(await props.onAdd(sent))) return;
        const now = latest.current;
        change(now === sent ? '' : now.startsWith(sent) ? now.slice(sent.length).trimStart() : now);
      })();
      saving.current = save;
      try {
        await save;
      } finally {
        if (saving.current === save) saving.current = null;
      }
    }
    return (
      <form
        className="note-composer"
        onSubmit={(event) => {
          event.preventDefault();
          void add();
        }}
      >
        <label htmlFor="case-note" className="field__label">
          Add a note
        </label>
        {props.error && (
          <p id="case-note-error" className="field__error">
            {props.error}
          </p>
        )}
        <textarea
          id="case-note"
          ref={ref}
          rows={3}
          value={text}
          aria-describedby={props.error ? 'case-note-error case-note-hint' : 'case-note-hint'}
          aria-invalid={props.error ? true : undefined}
          onChange={(event) => change(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
              event.preventDefault();
              void add();
            }
          }}
        />
        <div className="note-composer__actions">
          <p id="case-note-hint" className="hint">
            Ctrl+Enter adds the note. Notes cannot be changed once added. {text.length.toLocaleString('en-GB')} of{' '}
            {CASE_LIMITS.note.toLocaleString('en-GB')} characters.
          </p>
          <button type="submit" className="button" disabled={props.busy}>
            Add note
          </button>
        </div>
      </form>
    );
  },
);

/** The case's history, newest first. Consecutive edits of the caller's words by one person read as one entry. */
export function Timeline({ events, names }: { events: readonly CaseEvent[]; names: Readonly<Record<string, string>> }) {
  const items = collapse(events).reverse();
  return (
    <ol className="timeline" aria-label="Case history">
      {items.map(({ event, edits }) => (
        <li key={event.id} className={`timeline__item timeline__item--${event.kind}`}>
          <p className="timeline__meta">
            <span className="timeline__author">{authorLabel(event)}</span> · <time dateTime={event.at}>{formatWhen(event.at)}</time>
          </p>
          {event.kind === 'note' ? <p className="timeline__note">{event.body}</p> : <p>{describeEvent(event, edits, names)}</p>}
          {(event.kind === 'moderation' || event.kind === 'provider') && event.body && <p className="timeline__note">{event.body}</p>}
        </li>
      ))}
    </ol>
  );
}

function describeEvent(event: CaseEvent, edits: number, names: Readonly<Record<string, string>>): string {
  switch (event.kind) {
    case 'created':
      return 'Opened the case.';
    case 'status':
      return `Moved from ${describeValue('status', event.oldValue)} to ${describeValue('status', event.newValue)}.`;
    case 'field': {
      const field = event.field ?? '';
      const label = fieldLabels[field as keyof typeof fieldLabels] ?? field;
      if (field === 'description') return edits > 1 ? `Edited what the caller said (${edits} saves).` : 'Edited what the caller said.';
      return `${label}: ${describeValue(field, event.oldValue, names)} → ${describeValue(field, event.newValue, names)}.`;
    }
    case 'note':
      return event.body ?? '';
    case 'message':
      return messageWords(event);
    case 'moderation':
      return moderationWords(event);
    case 'provider':
      return providerWords(event);
    case 'call':
      return callWords(event);
  }
}

function collapse(events: readonly CaseEvent[]): { event: CaseEvent; edits: number }[] {
  const out: { event: CaseEvent; edits: number }[] = [];
  for (const event of events) {
    const last = out.at(-1);
    if (last && event.kind === 'field' && event.field === 'description' && last.event.kind === 'field' && last.event.field === 'description' && last.event.authorId === event.authorId) {
      out[out.length - 1] = { event, edits: last.edits + 1 };
    } else {
      out.push({ event, edits: 1 });
    }
  }
  return out;
}
