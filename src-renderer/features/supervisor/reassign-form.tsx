import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { TeamUser } from './supervisor-store';

/** The case picked from the handlers board (the one on a handler's call), or null to type a reference. */
export interface PickedCase {
  caseId: string;
  description: string;
}

/** Reassigns a case to another handler of the team: the case from the board, or one found by its reference. */
export function ReassignForm(props: { users: readonly TeamUser[]; picked: PickedCase | null; busy: boolean; onClearPicked(): void; onReassign(target: { caseId: string } | { reference: string }, ownerId: string): Promise<boolean> }) {
  const [reference, setReference] = useState('');
  const [ownerId, setOwnerId] = useState('');
  const ownerRef = useRef<HTMLSelectElement>(null);
  const people = props.users.filter((user) => user.active && user.role !== 'admin');
  const ready = ownerId !== '' && (props.picked !== null || reference.trim() !== '');

  // A case picked from the board: the next thing to choose is who gets it.
  useEffect(() => {
    if (props.picked) ownerRef.current?.focus();
  }, [props.picked]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!ready) return;
    const done = await props.onReassign(props.picked ? { caseId: props.picked.caseId } : { reference }, ownerId);
    if (done) {
      setReference('');
      setOwnerId('');
      props.onClearPicked();
    }
  };

  return (
    <section className="panel supervisor__reassign" aria-labelledby="reassign-heading">
      <h2 id="reassign-heading">Reassign a case</h2>
      <form className="reassign-form" onSubmit={(event) => void submit(event)}>
        {props.picked ? (
          <p className="reassign-form__picked">
            Case: {props.picked.description}{' '}
            <button type="button" className="button button--link button--small" onClick={props.onClearPicked}>
              Use a reference instead
            </button>
          </p>
        ) : (
          <label className="field">
            <span className="field__label">Case reference</span>
            <input type="text" value={reference} placeholder="CC-7K3M-9QXP" autoComplete="off" spellCheck={false} onChange={(event) => setReference(event.target.value)} />
          </label>
        )}
        <label className="field">
          <span className="field__label">New handler</span>
          <select ref={ownerRef} value={ownerId} onChange={(event) => setOwnerId(event.target.value)}>
            <option value="">Choose a handler</option>
            {people.map((user) => (
              <option key={user.id} value={user.id}>
                {user.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button" disabled={!ready || props.busy}>
          Reassign
        </button>
      </form>
    </section>
  );
}
