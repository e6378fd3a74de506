import { useId, useRef, useState } from 'react';
import type { Provider } from '../../../src-shared/contract/cases';

/**
 * Type-ahead over providers' organisation codes and names (an ARIA combobox): type "RX1" or "northbr", move with
 * the arrow keys, Enter chooses, Escape closes. The search itself runs in the main process.
 */
export function ProviderPicker(props: {
  id: string;
  provider: Provider | null;
  search: (text: string) => Promise<Provider[]>;
  onChoose: (provider: Provider | null) => void;
  error?: string | undefined;
  describedBy?: string;
}) {
  const listId = useId();
  const [text, setText] = useState(props.provider ? label(props.provider) : '');
  // When the provider changes from outside (another case opened), show it: adjusted during render, as React
  // recommends, so the input keeps its focus (a remount would drop it).
  const [shownId, setShownId] = useState(props.provider?.id ?? null);
  if ((props.provider?.id ?? null) !== shownId) {
    setShownId(props.provider?.id ?? null);
    setText(props.provider ? label(props.provider) : '');
  }
  const [options, setOptions] = useState<Provider[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const latest = useRef(0);

  async function lookUp(value: string) {
    const request = ++latest.current;
    const found = value.trim() === '' ? [] : await props.search(value);
    if (request !== latest.current) return;
    setOptions(found);
    // As in the ARIA combobox pattern, nothing is chosen until the handler moves into the list.
    setActive(-1);
    setOpen(found.length > 0);
  }

  function choose(provider: Provider | null) {
    setOpen(false);
    setText(provider ? label(provider) : '');
    props.onChoose(provider);
  }

  const activeOption = open ? options[active] : undefined;
  return (
    <div className="combobox">
      <input
        id={props.id}
        type="text"
        role="combobox"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={activeOption ? `${listId}-${activeOption.id}` : undefined}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.describedBy}
        placeholder="Type a code (RX1) or a name"
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          void lookUp(event.target.value);
        }}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown') {
            event.preventDefault();
            if (!open && options.length) setOpen(true);
            setActive((i) => Math.min(options.length - 1, i + 1));
          } else if (event.key === 'ArrowUp') {
            event.preventDefault();
            setActive((i) => Math.max(0, i - 1));
          } else if (event.key === 'Enter' && open && activeOption) {
            event.preventDefault();
            choose(activeOption);
          } else if (event.key === 'Escape' && open) {
            event.preventDefault();
            setOpen(false);
            setText(props.provider ? label(props.provider) : '');
          }
        }}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
      />
      {props.provider && (
        <button type="button" className="button button--small button--link" onClick={() => choose(null)}>
          Clear <span className="visually-hidden">provider</span>
        </button>
      )}
      <div id={listId} role="listbox" className="combobox__list" hidden={!open} aria-label="Providers">
        {options.map((option, index) => (
          <div
            key={option.id}
            id={`${listId}-${option.id}`}
            role="option"
            tabIndex={-1}
            aria-selected={index === active}
            className={index === active ? 'combobox__option combobox__option--active' : 'combobox__option'}
            onMouseDown={(event) => {
              event.preventDefault();
              choose(option);
            }}
          >
            <span className="combobox__code">{option.odsCode}</span> {option.name}
          </div>
        ))}
      </div>
    </div>
  );
}

function label(provider: Provider): string {
  return `${provider.name} (${provider.odsCode})`;
}
