import { useState } from 'react';
import type { CaseEvent } from '../../../src-shared/contract/cases';
import { channelLabels, type Channel } from '../../../src-shared/domain/case-types';
import { fillTemplate, replyTemplates } from '../../../src-shared/inbox/reply-templates';
import { formatWhen } from '../cases/case-labels';
import { messageValue } from '../cases/event-words';

/**
 * The messages of a case, oldest first, as a conversation: the patient's on one side, the replies on the other.
 * `opening`: what the patient wrote in the web form, which the API keeps as the case's words rather than as a message,
 * shown first so the thread starts with the question.
 */
export function ConversationThread({ events, opening, now }: { events: readonly CaseEvent[]; opening?: { text: string; at: string } | null; now?: number }) {
  const messages = events.filter((event) => messageValue(event) !== null);
  if (messages.length === 0 && !opening) return <p className="muted">No messages on this case yet.</p>;
  return (
    <ol className="thread" aria-label="Conversation">
      {opening && (
        <li className="thread__message thread__message--inbound">
          <p className="thread__meta">
            <span className="thread__author">Patient (web form)</span> · <span className="thread__channel">Web form</span> ·{' '}
            <time dateTime={opening.at}>{formatWhen(opening.at, now)}</time>
          </p>
          <p className="thread__body">{opening.text}</p>
        </li>
      )}
      {messages.map((event) => {
        const value = messageValue(event)!;
        const inbound = value.direction === 'inbound';
        const channel = channelLabels[value.channel] ?? value.channel;
        return (
          <li key={event.id} className={`thread__message thread__message--${value.direction}`}>
            <p className="thread__meta">
              <span className="thread__author">{inbound ? event.authorName : `${event.authorName} replied`}</span> ·{' '}
              <span className="thread__channel">{value.platform ? `${channel} (${value.platform})` : channel}</span> ·{' '}
              <time dateTime={event.at}>{formatWhen(event.at, now)}</time>
            </p>
            {value.subject && (
              <p className="thread__subject">
                <span className="visually-hidden">Subject: </span>
                {value.subject}
              </p>
            )}
            <p className="thread__body">{event.body}</p>
            {value.attachmentsNotKept ? (
              <p className="hint">
                {value.attachmentsNotKept} attachment{value.attachmentsNotKept === 1 ? ' was' : 's were'} sent but not kept.
              </p>
            ) : null}
            {value.url && (
              <p className="hint">
                <a href={value.url} target="_blank" rel="noreferrer noopener">
                  See the post
                </a>
              </p>
            )}
          </li>
        );
      })}
    </ol>
  );
}

/** How a reply on this case would reach the patient, so the handler knows before writing it. */
export function replyRouteHint(channel: Channel, contactMethod: string, hasEmail: boolean): string {
  if (channel === 'sms') return 'The reply goes to the patient by text message.';
  if (channel === 'email') return 'The reply goes to the patient by email.';
  if (contactMethod === 'email' && hasEmail) return 'The patient asked for a reply by email: the reply goes to their email address.';
  if (channel === 'social') return 'Replies to social media are made on the network itself; this box can only record an email reply when the patient gave an address.';
  return 'The patient did not ask for a reply by email; the central service will say if it cannot send this.';
}

/**
 * The reply box: a template to start from, the text, and Send. A refusal from the central API (no way to reach the
 * patient, SMS not set up, the provider refused the message) is shown in its words, and the text stays in the box.
 */
export function ReplyBox({
  reference,
  hint,
  busy,
  error,
  onSend,
}: {
  reference: string;
  hint: string;
  busy: boolean;
  error: string | null;
  onSend: (text: string) => Promise<boolean>;
}) {
  const [text, setText] = useState('');
  const [template, setTemplate] = useState('');
  async function send() {
    if (busy) return;
    if (await onSend(text)) {
      setText('');
      setTemplate('');
    }
  }
  return (
    <form
      className="reply-box"
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      <div className="reply-box__row">
        <label htmlFor="reply-template" className="field__label">
          Start from a template
        </label>
        <select
          id="reply-template"
          value={template}
          onChange={(event) => {
            const chosen = replyTemplates.find((t) => t.id === event.target.value);
            setTemplate(event.target.value);
            if (chosen) setText(fillTemplate(chosen, { reference }));
          }}
        >
          <option value="">No template</option>
          {replyTemplates.map((t) => (
            <option key={t.id} value={t.id}>
              {t.label}
            </option>
          ))}
        </select>
      </div>
      <label htmlFor="reply-text" className="field__label">
        Reply to the patient
      </label>
      {error && (
        <p id="reply-error" className="field__error" role="alert">
          {error}
        </p>
      )}
      <textarea
        id="reply-text"
        rows={4}
        value={text}
        aria-describedby={error ? 'reply-error reply-hint' : 'reply-hint'}
        aria-invalid={error ? true : undefined}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            void send();
          }
        }}
      />
      <div className="note-composer__actions">
        <p id="reply-hint" className="hint">
          {hint} Ctrl+Enter sends.
        </p>
        <button type="submit" className="button" disabled={busy}>
          {busy ? 'Sending…' : 'Send reply'}
        </button>
      </div>
    </form>
  );
}

/** Close the contact as resolved, with a disposition from the reference data. */
export function ResolveForm({
  dispositions,
  busy,
  error,
  onResolve,
}: {
  dispositions: readonly { id: string; label: string }[];
  busy: boolean;
  error: string | null;
  onResolve: (dispositionId: string) => void;
}) {
  const [chosen, setChosen] = useState('');
  return (
    <form
      className="resolve-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (chosen) onResolve(chosen);
      }}
    >
      <label htmlFor="resolve-disposition" className="field__label">
        Disposition
      </label>
      {error && (
        <p id="resolve-error" className="field__error" role="alert">
          {error}
        </p>
      )}
      <div className="reply-box__row">
        <select id="resolve-disposition" value={chosen} aria-describedby={error ? 'resolve-error' : undefined} onChange={(event) => setChosen(event.target.value)}>
          <option value="">Choose how it ended…</option>
          {dispositions.map((d) => (
            <option key={d.id} value={d.id}>
              {d.label}
            </option>
          ))}
        </select>
        <button type="submit" className="button button--secondary" disabled={busy || !chosen}>
          Resolve
        </button>
      </div>
    </form>
  );
}
