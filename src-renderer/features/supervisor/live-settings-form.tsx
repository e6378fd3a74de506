import { useId, useState } from 'react';
import { formatSeconds, type LiveSettings } from './live-figures';

/** A whole number the supervisor types; it applies once it is within its range, and says so otherwise. */
function NumberSetting(props: { label: string; value: number; min: number; max: number; onChange(value: number): void }) {
  const id = useId();
  const [text, setText] = useState(String(props.value));
  const n = Number(text);
  const valid = text.trim() !== '' && Number.isInteger(n) && n >= props.min && n <= props.max;
  return (
    <div className="supervisor__setting">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="number"
        min={props.min}
        max={props.max}
        step={1}
        value={text}
        aria-invalid={!valid || undefined}
        aria-describedby={valid ? undefined : `${id}-error`}
        onChange={(event) => {
          setText(event.target.value);
          const next = Number(event.target.value);
          if (event.target.value.trim() !== '' && Number.isInteger(next) && next >= props.min && next <= props.max) props.onChange(next);
        }}
      />
      {!valid && (
        <span id={`${id}-error`} className="field__error">
          Enter a whole number from {props.min} to {props.max}.
        </span>
      )}
    </div>
  );
}

/** The view's own settings: the service-level target share and when a handler counts as stuck. */
export function LiveSettingsForm({ settings, onChange }: { settings: LiveSettings; onChange(next: LiveSettings): void }) {
  return (
    <details className="panel supervisor__settings">
      <summary>Targets and alert times</summary>
      <div className="supervisor__settings-fields">
        <NumberSetting
          label={`Service-level target (% answered within ${formatSeconds(settings.targetMs)})`}
          value={Math.round(settings.targetShare * 100)}
          min={1}
          max={100}
          onChange={(percent) => onChange({ ...settings, targetShare: percent / 100 })}
        />
        <NumberSetting
          label="Alert when a handler is in wrap-up or not responding for more than (minutes)"
          value={Math.round(settings.stuckAfterMs / 60_000)}
          min={1}
          max={60}
          onChange={(minutes) => onChange({ ...settings, stuckAfterMs: minutes * 60_000 })}
        />
        <p className="hint">The answer time ({formatSeconds(settings.targetMs)}) is the line’s own setting: the central service counts calls answered within it.</p>
      </div>
    </details>
  );
}
