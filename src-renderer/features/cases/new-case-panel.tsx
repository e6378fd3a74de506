import { useState } from 'react';
import { caseTypeLabels, caseTypes, channelLabels, channels, type CaseType, type Channel } from '../../../src-shared/domain/case-types';

/** Start a case in one click: choose what kind of contact this is; the channel defaults to the phone. */
export function NewCasePanel(props: { busy: boolean; problem: string | null; onCreate: (type: CaseType, channel: Channel) => void }) {
  const [channel, setChannel] = useState<Channel>('phone');
  return (
    <section className="panel new-case" aria-labelledby="new-case-title">
      <h2 id="new-case-title">Start a case</h2>
      <p className="muted">Alt+N starts a feedback case on the phone straight away.</p>
      <div className="field">
        <label htmlFor="new-case-channel">Came in by</label>
        <select id="new-case-channel" value={channel} onChange={(e) => setChannel(e.target.value as Channel)}>
          {channels.map((c) => (
            <option key={c} value={c}>
              {channelLabels[c]}
            </option>
          ))}
        </select>
      </div>
      <div className="new-case__types">
        {caseTypes.map((type) => (
          <button key={type} type="button" className="button new-case__type" disabled={props.busy} onClick={() => props.onCreate(type, channel)}>
            New {caseTypeLabels[type].toLowerCase()}
          </button>
        ))}
      </div>
      {props.problem && <p className="field__error">{props.problem}</p>}
    </section>
  );
}
