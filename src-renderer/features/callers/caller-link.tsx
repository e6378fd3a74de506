import { useState } from 'react';
import { callerFlagOptions, type Caller, type CallerLookup } from '../../../src-shared/contract/cases';
import { formatPhoneNumber } from '../../../src-shared/domain/phone-number';
import { callerFlagLabel } from './caller-card';

/**
 * Inside the case form: who the case is for. Find by number (the same lookup as the screen pop), then link the
 * caller found, or save a new one.
 */
export function CallerLink(props: {
  caller: Caller | null;
  busy: boolean;
  problem: string | null;
  onFind: (phone: string) => Promise<CallerLookup | null>;
  onLink: (caller: Caller | null) => void;
  onSaveNew: (input: { phone: string; name: string; flags: string[] }) => Promise<Caller | null>;
}) {
  const [phone, setPhone] = useState('');
  const [found, setFound] = useState<CallerLookup | null>(null);
  const [name, setName] = useState('');
  const [flags, setFlags] = useState<string[]>([]);

  if (props.caller) {
    return (
      <div className="caller-link caller-link--linked">
        <p>
          <span className="field__label">Caller</span>{' '}
          <strong>{props.caller.name ?? 'Name not given'}</strong>
          {props.caller.phone && <> · {formatPhoneNumber(props.caller.phone)}</>}
        </p>
        <button type="button" className="button button--small button--link" onClick={() => props.onLink(null)}>
          Change caller
        </button>
      </div>
    );
  }

  return (
    <fieldset className="field caller-link">
      <legend>Caller</legend>
      <form
        className="caller-link__find"
        onSubmit={async (event) => {
          event.preventDefault();
          setFound(await props.onFind(phone));
        }}
      >
        <label htmlFor="caller-phone">Caller’s number</label>
        <input id="caller-phone" type="tel" autoComplete="off" value={phone} onChange={(e) => setPhone(e.target.value)} aria-describedby="caller-phone-error" />
        <button type="submit" className="button button--small button--secondary" disabled={props.busy || phone.trim() === ''}>
          Find caller
        </button>
      </form>
      <p id="caller-phone-error" className="field__error" role="alert">
        {props.problem ?? ''}
      </p>
      {found?.caller && (
        <div className="caller-link__found">
          <p>
            Found <strong>{found.caller.name ?? 'a caller with no name'}</strong> with {found.openCases.length} open and {found.recentCases.length} recent cases.
          </p>
          <button type="button" className="button button--small" onClick={() => props.onLink(found.caller)}>
            Link this caller
          </button>
        </div>
      )}
      {found && !found.caller && (
        <form
          className="caller-link__new"
          onSubmit={async (event) => {
            event.preventDefault();
            const caller = await props.onSaveNew({ phone: found.phone, name, flags });
            if (caller) props.onLink(caller);
          }}
        >
          <p>No caller with {formatPhoneNumber(found.phone)} yet.</p>
          <label htmlFor="caller-name">Caller’s name (optional)</label>
          <input id="caller-name" type="text" autoComplete="off" maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
          <fieldset className="choices choices--inline">
            <legend className="visually-hidden">Caller flags</legend>
            {callerFlagOptions.map((flag) => (
              <label key={flag}>
                <input
                  type="checkbox"
                  checked={flags.includes(flag)}
                  onChange={(e) => setFlags(e.target.checked ? [...flags, flag] : flags.filter((f) => f !== flag))}
                />
                {callerFlagLabel(flag)}
              </label>
            ))}
          </fieldset>
          <button type="submit" className="button button--small" disabled={props.busy}>
            Save caller and link
          </button>
        </form>
      )}
    </fieldset>
  );
}
