const KEYS: { key: string; name: string }[] = [
  ...['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((key) => ({ key, name: key })),
  { key: '*', name: 'star' },
  { key: '0', name: '0' },
  { key: '#', name: 'hash' },
];

/** DTMF keys, for the phone menus a handler meets on outbound calls and transfers. */
export function Keypad(props: { id: string; sent: string; disabled: boolean; onKey: (digit: string) => void }) {
  return (
    <div id={props.id} className="keypad" role="group" aria-label="Keypad">
      <div className="keypad__keys">
        {KEYS.map(({ key, name }) => (
          <button key={key} type="button" className="keypad__key" aria-label={`Key ${name}`} disabled={props.disabled} onClick={() => props.onKey(key)}>
            {key}
          </button>
        ))}
      </div>
      <p className="keypad__sent" aria-live="polite">
        {props.sent ? `Sent: ${props.sent}` : 'Nothing sent yet.'}
      </p>
    </div>
  );
}
