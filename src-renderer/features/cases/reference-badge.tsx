import { useState } from 'react';

/** The case reference, large enough to read to a caller, with a copy button. */
export function ReferenceBadge({ reference }: { reference: string }) {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  async function copy() {
    try {
      await navigator.clipboard.writeText(reference);
      setCopied('copied');
    } catch {
      setCopied('failed');
    }
    setTimeout(() => setCopied('idle'), 2500);
  }
  return (
    <div className="reference">
      <span className="reference__label" id="case-reference-label">
        Reference
      </span>
      <output className="reference__value" aria-labelledby="case-reference-label" data-testid="case-reference">
        {reference}
      </output>
      <button type="button" className="button button--small button--secondary" onClick={() => void copy()}>
        Copy <span className="visually-hidden">reference {reference}</span>
      </button>
      <span role="status" className="reference__copied">
        {copied === 'copied' ? 'Copied' : copied === 'failed' ? 'Could not copy: select it and copy by hand' : ''}
      </span>
    </div>
  );
}
