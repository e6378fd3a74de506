import type { LiveConnectionState } from '../src-shared/contract/live';
import type { LiveEvent } from '../src-shared/telephony/model';
import type { Api } from './api';

/**
 * The desk's live link to the central API as the main process reports it: the state now, as soon as it is known,
 * then each change (a change that arrives first wins over the older answer). Returns a function that stops it.
 */
export function watchLiveLink(api: Api, listener: (link: LiveConnectionState) => void): () => void {
  let live = true;
  let changed = false;
  const off = api.on('live.connectionChanged', (link) => {
    if (!live) return;
    changed = true;
    listener(link);
  });
  void api.request('telephony.getLinkState', {}).then((result) => live && result.ok && !changed && listener(result.value));
  return () => {
    live = false;
    off();
  };
}

/**
 * The live events the main process forwards, starting with the picture the desk already holds (as a snapshot, when
 * it holds one) so a reload shows the ringing call or the call in progress at once. Events that arrive before the
 * picture are held and replayed on top of it: each carries a whole call, handler or queue, so replaying one the
 * picture already has changes nothing, and none is lost. Returns a function that stops it.
 */
export function watchLiveEvents(api: Api, listener: (event: LiveEvent) => void): () => void {
  let live = true;
  let held: LiveEvent[] | null = [];
  const off = api.on('live.event', (event) => {
    if (!live) return;
    if (held) held.push(event);
    else listener(event);
  });
  void api.request('telephony.getPicture', {}).then((result) => {
    if (!live) return;
    if (result.ok && result.value.snapshotAt !== null) {
      const { handlers, calls, queues, offers, snapshotAt } = result.value;
      listener({ type: 'snapshot', handlers, calls, queues, offers, at: snapshotAt });
    }
    const replay = held ?? [];
    held = null;
    for (const event of replay) listener(event);
  });
  return () => {
    live = false;
    off();
  };
}
