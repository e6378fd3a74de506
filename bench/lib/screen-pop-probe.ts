/**
 * What the screen-pop benchmark puts in the page before the app's own scripts (`page.addInitScript`), to time a
 * caller card from inside the browser. All times are the page's `performance.timeOrigin + performance.now()`
 * (epoch ms, sub-millisecond), so they can be set against the bench process's clock (see clock-offset.ts).
 *
 * - `wsAt`: the WebSocket frame carrying the awaited offer reached the page (a `message` listener added in the
 *   socket's constructor, so it runs before the app's `onmessage`; it only looks at frames while a ring is armed).
 *   Another live event can be awaited instead of an offer by giving `arm` its frame's type (`'"type":"handler"'`).
 * - `domAt`: a MutationObserver saw the caller card (`selector`) show the awaited number: React has committed it.
 * - `paintAt`: the first task after the next animation frame: the frame that paints the card has been produced.
 *
 * The function is serialised into the page, so it must not refer to anything outside itself.
 */
export function installScreenPopProbe(): void {
  interface Ring {
    selector: string;
    text: string;
    marker: string | null;
    frameType: string;
    wsAt: number | null;
    domAt: number | null;
    paintAt: number | null;
    settle: () => void;
    done: Promise<void>;
  }
  const now = () => performance.timeOrigin + performance.now();
  let ring: Ring | null = null;

  function check(): void {
    const current = ring;
    if (!current || current.domAt !== null) return;
    const element = document.querySelector(current.selector);
    if (!element || element.textContent !== current.text) return;
    current.domAt = now();
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        current.paintAt = now();
        current.settle();
      };
      channel.port2.postMessage(null);
    });
  }
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true });

  const NativeWebSocket = window.WebSocket;
  class ProbedWebSocket extends NativeWebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', (event: MessageEvent) => {
        const current = ring;
        if (!current || current.marker === null || current.wsAt !== null || typeof event.data !== 'string') return;
        if (event.data.includes(current.frameType) && event.data.includes(current.marker)) current.wsAt = now();
      });
    }
  }
  window.WebSocket = ProbedWebSocket;

  (window as unknown as { __screenPop: unknown }).__screenPop = {
    now,
    /** Waits for `selector`'s text to become `text`; `marker`, if given, picks out the offer's WebSocket frame. */
    arm(selector: string, text: string, marker: string | null, frameType = '"type":"offer"'): void {
      let settle = () => {};
      const done = new Promise<void>((resolve) => (settle = resolve));
      ring = { selector, text, marker, frameType, wsAt: null, domAt: null, paintAt: null, settle, done };
    },
    async result(timeoutMs: number): Promise<{ wsAt: number | null; domAt: number | null; paintAt: number | null }> {
      const current = ring;
      if (!current) throw new Error('no ring armed');
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([current.done, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
      ring = null;
      return { wsAt: current.wsAt, domAt: current.domAt, paintAt: current.paintAt };
    },
  };
}

/** The probe as the page exposes it, for `page.evaluate` callbacks. */
export interface ScreenPopProbe {
  now(): number;
  arm(selector: string, text: string, marker: string | null, frameType?: string): void;
  result(timeoutMs: number): Promise<{ wsAt: number | null; domAt: number | null; paintAt: number | null }>;
}
