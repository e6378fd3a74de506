import type { QualityWarning } from './softphone';

/** The audio engine's call-quality warnings, in plain words, while they last. */
export function QualityBanner({ warnings }: { warnings: readonly QualityWarning[] }) {
  return (
    <div className="quality-banner" role="status" aria-live="polite" data-testid="quality-banner">
      {warnings.length > 0 && (
        <>
          <p className="quality-banner__title">Call quality</p>
          <ul>
            {warnings.map((w) => (
              <li key={w.name}>{w.message}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
