import { useEffect, useState } from 'react';
import type { Api } from '../../api';
import { createContractSoftphonePort } from './contract-port';
import { createSimulatorSoftphone } from './simulator-softphone';
import type { Softphone } from './softphone';
import type { SoftphonePort } from './softphone-port';
import { createSoftphoneStore, type SoftphoneStore } from './softphone-store';
import { loadTwilioDevice } from './twilio-device-loader';
import { createTwilioSoftphone } from './twilio-softphone';

/**
 * Which softphone this desk uses: Twilio when the central API gives this handler a Voice token, the simulator's
 * otherwise (the embedded demo API, or an API whose line is simulated). Asked once per sign-in.
 */
export async function chooseSoftphone(api: Api, port: SoftphonePort, handlerId: string): Promise<Softphone> {
  const info = await api.request('app.getInfo', {});
  if (info.ok && info.value.centralApiEmbedded) return createSimulatorSoftphone({ port, handlerId });
  const token = await api.request('telephony.voiceToken', {});
  if (!token.ok) return createSimulatorSoftphone({ port, handlerId });
  let first: string | null = token.value.token;
  return createTwilioSoftphone({
    Device: await loadTwilioDevice(),
    port,
    fetchToken: async () => {
      // The token fetched to choose the adapter is used for the first registration; later ones are fresh.
      if (first) {
        const reuse = first;
        first = null;
        return { ok: true, value: reuse };
      }
      const fresh = await api.request('telephony.voiceToken', {});
      return fresh.ok ? { ok: true, value: fresh.value.token } : { ok: false, message: fresh.error.message };
    },
  });
}

/** The signed-in handler's softphone store, connected for as long as the component using it is mounted. */
export function useSoftphone(api: Api, handlerId: string | null): SoftphoneStore | null {
  const [store, setStore] = useState<SoftphoneStore | null>(null);
  useEffect(() => {
    if (!handlerId) return;
    let cancelled = false;
    let created: SoftphoneStore | null = null;
    const port = createContractSoftphonePort(api);
    void chooseSoftphone(api, port, handlerId).then((softphone) => {
      if (cancelled) {
        softphone.stop();
        return;
      }
      created = createSoftphoneStore({ port, softphone, handlerId });
      void created.getState().connect();
      setStore(created);
    });
    return () => {
      cancelled = true;
      created?.dispose();
      setStore(null);
    };
  }, [api, handlerId]);
  return store;
}
