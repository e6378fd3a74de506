/**
 * Timers for routing and the simulator, passed in rather than taken from the global `setTimeout`, so tests and the
 * accelerated-time benchmark move time by hand and a 15-second offer timeout takes no real time at all.
 */
export interface Scheduler {
  /** Runs `fn` once after `ms` milliseconds. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export interface TimerHandle {
  readonly id: number;
}

/** The real thing, for the running API. Timers are unref'd so a pending offer never keeps a process alive. */
export function realScheduler(): Scheduler {
  let next = 0;
  const timers = new Map<number, NodeJS.Timeout>();
  return {
    setTimeout(fn, ms) {
      const id = ++next;
      const timer = setTimeout(() => {
        timers.delete(id);
        fn();
      }, Math.max(0, ms));
      timer.unref?.();
      timers.set(id, timer);
      return { id };
    },
    clearTimeout(handle) {
      const timer = timers.get(handle.id);
      if (timer) clearTimeout(timer);
      timers.delete(handle.id);
    },
  };
}

interface Pending {
  id: number;
  due: number;
  fn: () => void;
}

/** A scheduler and the clock it runs on, moved by hand: `advance(ms)` runs every timer due on the way, in order. */
export interface ManualScheduler extends Scheduler {
  now(): number;
  /** Moves time forward by `ms`, running each timer at its due time (timers they set run too, if due). */
  advance(ms: number): void;
  /** Moves time to the next timer and runs it; false when there is none. */
  runNext(): boolean;
  /** Timers waiting to run. */
  pending(): number;
}

/**
 * A scheduler with its own clock. Timers live in a binary heap ordered by (due time, creation order), so a
 * simulated day with tens of thousands of timers runs in time proportional to n log n, and timers due at the
 * same moment run in the order they were set, as real ones do.
 */
export function createManualScheduler(start = Date.parse('2026-11-23T08:00:00Z')): ManualScheduler {
  let now = start;
  let next = 0;
  const heap: Pending[] = [];
  /** Timers set and neither run nor cleared; a cleared one stays in the heap until it reaches the top. */
  const live = new Set<number>();
  const before = (a: Pending, b: Pending) => a.due < b.due || (a.due === b.due && a.id < b.id);

  function push(item: Pending) {
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  function pop(): Pending | undefined {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < heap.length && before(heap[l]!, heap[smallest]!)) smallest = l;
        if (r < heap.length && before(heap[r]!, heap[smallest]!)) smallest = r;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
        i = smallest;
      }
    }
    return top;
  }

  /** The next timer not cancelled, dropping cancelled ones from the top. */
  function peek(): Pending | undefined {
    while (heap.length > 0 && !live.has(heap[0]!.id)) pop();
    return heap[0];
  }

  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = ++next;
      live.add(id);
      push({ id, due: now + Math.max(0, ms), fn });
      return { id };
    },
    clearTimeout(handle) {
      live.delete(handle.id);
    },
    advance(ms) {
      const until = now + ms;
      for (let item = peek(); item && item.due <= until; item = peek()) {
        pop();
        live.delete(item.id);
        now = Math.max(now, item.due);
        item.fn();
      }
      now = Math.max(now, until);
    },
    runNext() {
      const item = peek();
      if (!item) return false;
      pop();
      live.delete(item.id);
      now = Math.max(now, item.due);
      item.fn();
      return true;
    },
    pending: () => live.size,
  };
}
