import type { LiveConnectionState } from '../src-shared/contract/live';
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
