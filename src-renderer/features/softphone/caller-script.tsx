import type { Call } from '../../../src-shared/telephony/model';

/**
 * What a simulated caller says, for training: shown while it rings and kept in view during the call, so the
 * handler can log the case from it as they would from a real caller's words. Never present on a real call.
 */
export function CallerScript({ script }: { script: NonNullable<Call['script']> }) {
  return (
    <aside className="softphone__script" aria-label="Simulated caller's script">
      <h3>Training call: {script.scenario}</h3>
      <ol>
        {script.lines.map((line, index) => (
          <li key={index}>{line}</li>
        ))}
      </ol>
    </aside>
  );
}
