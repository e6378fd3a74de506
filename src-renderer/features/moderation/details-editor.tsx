import { useRef } from 'react';
import type { RemainingDetail } from '../../../src-shared/contract/moderation';
import type { IdentifyingSpan } from '../../../src-shared/moderation/identifying-details';
import { detailKey, detailName, HighlightedText } from './highlighted-text';

/** A detail shown under the editor: found in the text now, with the API's sentence if it refused it. */
interface ListedDetail {
  kind: IdentifyingSpan['kind'];
  text: string;
  refusedAs: string | null;
}

/**
 * The details to list: each one the desk's finder sees in the text now, once per kind and text (an override covers
 * every place it appears), and any the API refused that are still in the text though the desk's finder missed them.
 */
export function listedDetails(text: string, found: readonly IdentifyingSpan[], refused: readonly RemainingDetail[]): ListedDetail[] {
  const byKey = new Map<string, ListedDetail>();
  for (const span of found) {
    const key = detailKey(span);
    if (!byKey.has(key)) byKey.set(key, { kind: span.kind, text: span.text, refusedAs: null });
  }
  for (const detail of refused) {
    const key = detailKey(detail);
    const listed = byKey.get(key);
    if (listed) listed.refusedAs ??= detail.message;
    else if (text.includes(detail.text)) byKey.set(key, { kind: detail.kind, text: detail.text, refusedAs: detail.message });
  }
  return [...byKey.values()];
}

/**
 * A text to publish, with its identifying details highlighted as it is typed (a backdrop of `<mark>`s behind a
 * transparent text area, lined up character for character), and under it one reason field per detail: a detail is
 * published only if the moderator says why. When the API refused the last attempt, its sentence for each detail is
 * shown at that detail's field, and a summary at the top links to each.
 */
export function DetailsEditor(props: {
  id: string;
  label: string;
  hint: string;
  text: string;
  found: readonly IdentifyingSpan[];
  refused: readonly RemainingDetail[];
  refusal: string | null;
  reasons: Record<string, string>;
  disabled?: boolean;
  onChange(text: string): void;
  onReason(key: string, reason: string): void;
}) {
  const { id, text, found } = props;
  const backdrop = useRef<HTMLDivElement>(null);
  const listed = listedDetails(text, found, props.refused);
  const refused = listed.filter((detail) => detail.refusedAs !== null);
  const reasonId = (index: number) => `${id}-reason-${index}`;
  const countText = listed.length === 0 ? 'No identifying details found.' : `${listed.length} identifying ${listed.length === 1 ? 'detail' : 'details'} found: remove ${listed.length === 1 ? 'it' : 'each'}, or say why it may be published.`;

  return (
    <div className="details-editor">
      {refused.length > 0 && (
        <div className="error-summary" role="alert" aria-labelledby={`${id}-refusal-title`} data-testid={`${id}-refusal`}>
          <h4 id={`${id}-refusal-title`}>{props.refusal ?? 'The text still contains identifying details'}</h4>
          <ul>
            {listed.map((detail, index) =>
              detail.refusedAs === null ? null : (
                <li key={detailKey(detail)}>
                  <a href={`#${reasonId(index)}`}>{detail.refusedAs}</a>
                </li>
              ),
            )}
          </ul>
        </div>
      )}
      <label className="field__label" htmlFor={id}>
        {props.label}
      </label>
      <p className="hint" id={`${id}-hint`}>
        {props.hint}
      </p>
      <div className="highlight-editor">
        <div className="highlight-editor__backdrop" aria-hidden="true" ref={backdrop} data-testid={`${id}-highlights`}>
          {/* The extra line keeps the backdrop as tall as the text area when the text ends in a new line. */}
          <HighlightedText text={`${text}\n`} spans={found} decorative />
        </div>
        <textarea
          id={id}
          className="highlight-editor__input"
          value={text}
          rows={8}
          spellCheck
          disabled={props.disabled}
          aria-describedby={`${id}-hint ${id}-count`}
          aria-invalid={refused.length > 0 ? true : undefined}
          onChange={(event) => props.onChange(event.target.value)}
          onScroll={(event) => {
            if (backdrop.current) backdrop.current.scrollTop = event.currentTarget.scrollTop;
          }}
        />
      </div>
      <p className="details-editor__count" id={`${id}-count`} role="status" data-testid={`${id}-count`}>
        {countText}
      </p>
      {listed.length > 0 && (
        <ul className="details-editor__list" aria-label="Identifying details in this text">
          {listed.map((detail, index) => {
            const key = detailKey(detail);
            const errorId = `${reasonId(index)}-error`;
            return (
              <li key={key} className={detail.refusedAs ? 'details-editor__item details-editor__item--refused' : 'details-editor__item'}>
                <span className={`details-editor__name detail detail--${detail.kind}`}>{detailName(detail)}</span>
                {detail.refusedAs && (
                  <p className="field__error" id={errorId}>
                    {detail.refusedAs}: remove it, or say why it may be published.
                  </p>
                )}
                <label htmlFor={reasonId(index)}>
                  Reason to publish {detailName(detail)} <span className="field__required">(only if it must stay)</span>
                </label>
                <input
                  id={reasonId(index)}
                  type="text"
                  maxLength={500}
                  value={props.reasons[key] ?? ''}
                  disabled={props.disabled}
                  aria-invalid={detail.refusedAs && !(props.reasons[key] ?? '').trim() ? true : undefined}
                  aria-describedby={detail.refusedAs ? errorId : undefined}
                  onChange={(event) => props.onReason(key, event.target.value)}
                />
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
