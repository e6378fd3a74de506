import type { SaveState } from './autosave';
import { formatWhen } from './case-labels';

/** "Saved 14:02", "Saving…", or what went wrong: the handler always knows whether their words are safe. */
export function SaveIndicator({ state }: { state: SaveState }) {
  const text =
    state.kind === 'saved'
      ? `All changes saved ${formatWhen(new Date(state.at).toISOString())}`
      : state.kind === 'saving' || state.kind === 'pending'
        ? 'Saving…'
        : state.kind === 'failed'
          ? `Not saved: ${state.message}`
          : 'Everything is saved';
  return (
    <p className={`save-indicator save-indicator--${state.kind}`} role="status" data-testid="save-state">
      {text}
    </p>
  );
}
