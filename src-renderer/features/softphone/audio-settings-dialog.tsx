import { useEffect, useId, useRef, useState } from 'react';
import type { AudioDeviceOption, AudioDevices } from './softphone';

type Kind = 'input' | 'speaker' | 'ringtone';

/**
 * Choice of microphone, call speaker and ringtone device (a headset for the call, the desk speaker for the ring).
 * Opens from a button; Escape or Close returns focus to it.
 */
export function AudioSettings(props: {
  devices: AudioDevices | null;
  busy: boolean;
  error: string | null;
  onChange: (kind: Kind, deviceId: string) => void;
}) {
  const base = useId();
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    document.getElementById(`${base}-dialog`)?.querySelector<HTMLElement>('select, button')?.focus();
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      opener.current?.focus();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [open, base]);
  const close = () => {
    setOpen(false);
    opener.current?.focus();
  };
  const devices = props.devices;
  return (
    <div className="audio-settings">
      <button ref={opener} type="button" className="button button--small button--secondary" aria-expanded={open} aria-controls={`${base}-dialog`} onClick={() => setOpen(!open)}>
        Audio settings
      </button>
      {open && (
        <div
          id={`${base}-dialog`}
          className="audio-settings__dialog panel"
          role="dialog"
          aria-labelledby={`${base}-title`}
        >
          <h3 id={`${base}-title`}>Audio settings</h3>
          {!devices || devices.inputs.length === 0 ? (
            <p>No audio devices found yet. Connect a headset, or allow microphone access, then open this again.</p>
          ) : (
            <>
              <DeviceSelect id={`${base}-input`} label="Microphone" options={devices.inputs} value={devices.input} disabled={props.busy} onChange={(id) => props.onChange('input', id)} />
              {devices.outputSelectable ? (
                <>
                  <DeviceSelect id={`${base}-speaker`} label="Call sound" options={devices.outputs} value={devices.speaker} disabled={props.busy} onChange={(id) => props.onChange('speaker', id)} />
                  <DeviceSelect id={`${base}-ringtone`} label="Ringtone" options={devices.outputs} value={devices.ringtone} disabled={props.busy} onChange={(id) => props.onChange('ringtone', id)} />
                </>
              ) : (
                <p className="hint">This window cannot choose where sound plays; it uses the computer’s default speaker.</p>
              )}
            </>
          )}
          {props.error && <p role="alert">{props.error}</p>}
          <button type="button" className="button button--small" onClick={close}>
            Close
          </button>
        </div>
      )}
    </div>
  );
}

function DeviceSelect(props: {
  id: string;
  label: string;
  options: AudioDeviceOption[];
  value: string | null;
  disabled: boolean;
  onChange: (deviceId: string) => void;
}) {
  return (
    <p className="audio-settings__field">
      <label htmlFor={props.id}>{props.label}</label>
      <select id={props.id} value={props.value ?? ''} disabled={props.disabled} onChange={(event) => props.onChange(event.target.value)}>
        {props.value === null && <option value="">Default</option>}
        {props.options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.label}
          </option>
        ))}
      </select>
    </p>
  );
}
