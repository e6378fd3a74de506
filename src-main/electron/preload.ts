import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { CareDeskBridge } from '../../src-shared/contract/bridge';
import { eventNames, IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL, requestNames } from '../../src-shared/contract/names';

/**
 * The only file in the renderer's process that touches `ipcRenderer`. It exposes `window.careDesk` with one named
 * function per contract request and one subscribe function per event; the page never gets `ipcRenderer` itself,
 * nor an Electron event object.
 */
export function buildBridge(): CareDeskBridge {
  const requests = Object.fromEntries(
    requestNames.map((name) => [name, (input: unknown) => ipcRenderer.invoke(IPC_REQUEST_CHANNEL, name, input)]),
  ) as unknown as CareDeskBridge['requests'];

  const events = Object.fromEntries(
    eventNames.map((name) => [
      name,
      (listener: (payload: unknown) => void) => {
        const onEvent = (_event: IpcRendererEvent, eventName: unknown, payload: unknown) => {
          if (eventName === name) listener(payload);
        };
        ipcRenderer.on(IPC_EVENT_CHANNEL, onEvent);
        return () => {
          ipcRenderer.removeListener(IPC_EVENT_CHANNEL, onEvent);
        };
      },
    ]),
  ) as unknown as CareDeskBridge['events'];

  return { requests, events };
}

contextBridge.exposeInMainWorld('careDesk', buildBridge());
