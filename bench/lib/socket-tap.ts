/**
 * What a benchmark puts in the page (`page.addInitScript`, after the screen-pop probe) to play a frame to the app as
 * if its browser-mode WebSocket had received it: the page's sockets are remembered as they are made, and `inject`
 * dispatches a `message` event on the newest open one, so the app's own `onmessage` runs exactly as for a frame from
 * the network. It lets a benchmark time the page's share of a live update with no network in it.
 *
 * The function is serialised into the page, so it must not refer to anything outside itself.
 */
export function installSocketTap(): void {
  const sockets: WebSocket[] = [];
  const Wrapped = window.WebSocket;
  class TappedWebSocket extends Wrapped {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      sockets.push(this);
    }
  }
  window.WebSocket = TappedWebSocket;
  (window as unknown as { __socketTap: unknown }).__socketTap = {
    inject(data: string): void {
      const open = sockets.filter((socket) => socket.readyState === WebSocket.OPEN).at(-1);
      if (!open) throw new Error('no open WebSocket in the page');
      open.dispatchEvent(new MessageEvent('message', { data }));
    },
  };
}

/** The tap as the page exposes it, for `page.evaluate` callbacks. */
export interface SocketTap {
  inject(data: string): void;
}
