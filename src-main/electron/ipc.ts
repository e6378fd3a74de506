import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL, type EventName, type EventPayload } from '../../src-shared/contract/desktop-contract';
import { fail } from '../../src-shared/result';
import type { Dispatch } from '../contract/dispatcher';
import type { Logger } from '../core/logger';
import { senderRefusal, type SenderFacts } from './security-policy';

/**
 * The only file in the main process that touches `ipcMain`. One handler serves every contract request: it refuses
 * anything not sent by the app's own main frame in one of its windows, then hands the request to the dispatcher,
 * which parses the input before the core sees it.
 */
export function registerContractIpc(deps: {
  dispatch: Dispatch;
  isKnownWebContents: (contents: WebContents) => boolean;
  logger: Logger;
}): () => void {
  const log = deps.logger.child({ component: 'ipc' });
  ipcMain.handle(IPC_REQUEST_CHANNEL, async (event: IpcMainInvokeEvent, name: unknown, input: unknown) => {
    const refusal = senderRefusal(senderFacts(event, deps.isKnownWebContents));
    if (refusal !== null) {
      log.warn({ reason: refusal }, 'request from an untrusted sender refused');
      return fail('forbidden', `This request was refused because ${refusal}.`);
    }
    return deps.dispatch(name, input);
  });
  return () => ipcMain.removeHandler(IPC_REQUEST_CHANNEL);
}

function senderFacts(event: IpcMainInvokeEvent, isKnownWebContents: (contents: WebContents) => boolean): SenderFacts {
  const frame = event.senderFrame;
  return {
    frameUrl: frame ? frame.url : null,
    isMainFrame: frame !== null && frame.parent === null,
    isKnownWindow: isKnownWebContents(event.sender),
  };
}

/** Sends a contract event to one window's renderer. */
export function sendContractEvent<N extends EventName>(contents: WebContents, name: N, payload: EventPayload<N>): void {
  if (!contents.isDestroyed()) contents.send(IPC_EVENT_CHANNEL, name, payload);
}
