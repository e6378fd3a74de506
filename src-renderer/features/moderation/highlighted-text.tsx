import { Fragment } from 'react';
import { findIdentifyingDetails, identifyingKindLabels, type IdentifyingSpan } from '../../../src-shared/moderation/identifying-details';

/**
 * Text with its identifying details marked. Each `<mark>` carries its kind in words, inside it for screen readers
 * ("NHS number: 943 476 5919") and as a tooltip, so the kind is never told by colour alone. `decorative` drops the
 * words: the editor's backdrop must line up character for character with the text area on top of it, and the text
 * area is what assistive technology reads.
 */
export function HighlightedText({ text, spans, decorative = false }: { text: string; spans: readonly { kind: IdentifyingSpan['kind']; start: number; end: number }[]; decorative?: boolean }) {
  const parts: React.ReactNode[] = [];
  let at = 0;
  for (const [index, span] of spans.entries()) {
    if (span.start < at || span.end > text.length) continue;
    if (span.start > at) parts.push(<Fragment key={`t${index}`}>{text.slice(at, span.start)}</Fragment>);
    const label = identifyingKindLabels[span.kind];
    parts.push(
      decorative ? (
        <mark key={`m${index}`} className={`detail detail--${span.kind}`}>
          {text.slice(span.start, span.end)}
        </mark>
      ) : (
        <mark key={`m${index}`} className={`detail detail--${span.kind}`} title={label} data-kind={span.kind}>
          <span className="visually-hidden">{label}: </span>
          {text.slice(span.start, span.end)}
        </mark>
      ),
    );
    at = span.end;
  }
  if (at < text.length) parts.push(<Fragment key="rest">{text.slice(at)}</Fragment>);
  return <>{parts}</>;
}

/** "NHS number “943 476 5919”": how a detail is named in lists and labels. */
export function detailName(detail: { kind: IdentifyingSpan['kind']; text: string }): string {
  return `${identifyingKindLabels[detail.kind]} “${detail.text}”`;
}

/** The key an override is matched by, as the API matches it: the kind and the exact text. */
export function detailKey(detail: { kind: string; text: string }): string {
  return `${detail.kind}\u0000${detail.text}`;
}

/**
 * The caller's own name, as far as the desk can tell: the API finds it in the caller's words because it knows it (in
 * any case, in parts), while the desk's finder, run on the same words without it, does not. Those names are given to
 * the desk's finder, so the moderator's draft is checked for the same people the API will check it for.
 */
export function knownNamesFrom(callerWords: string, apiSpans: readonly IdentifyingSpan[]): string[] {
  const ownFinds = findIdentifyingDetails(callerWords).filter((span) => span.kind === 'name');
  const onlyKnownToApi = apiSpans.filter((span) => span.kind === 'name' && !ownFinds.some((own) => own.start <= span.start && span.end <= own.end));
  return [...new Set(onlyKnownToApi.map((span) => span.text.trim()).filter((name) => name.length >= 2))];
}
