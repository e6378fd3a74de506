/**
 * A set kept in order by a total comparator (ties broken by the caller, e.g. by id), over a plain array with
 * binary search. Routing asks "who is first?" on every decision: that is `first()`, O(1); joining or leaving is a
 * binary search and one `splice` (a memmove of at most a few hundred pointers for a contact centre's handlers),
 * which beats a tree's allocations at these sizes and keeps iteration in order for skipping excluded handlers.
 * An item's sort key must not change while it is in the set: remove it, change it, add it back.
 */
export class SortedSet<T> {
  private readonly items: T[] = [];

  constructor(private readonly compare: (a: T, b: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  first(): T | undefined {
    return this.items[0];
  }

  /** Where `item` is or would go. */
  private position(item: T): number {
    let low = 0;
    let high = this.items.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.compare(this.items[mid]!, item) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Adds the item; false if an equal one is already there. */
  add(item: T): boolean {
    const at = this.position(item);
    if (at < this.items.length && this.compare(this.items[at]!, item) === 0) return false;
    this.items.splice(at, 0, item);
    return true;
  }

  /** Removes the item; false if it was not there. */
  delete(item: T): boolean {
    const at = this.position(item);
    if (at >= this.items.length || this.compare(this.items[at]!, item) !== 0) return false;
    this.items.splice(at, 1);
    return true;
  }

  has(item: T): boolean {
    const at = this.position(item);
    return at < this.items.length && this.compare(this.items[at]!, item) === 0;
  }

  [Symbol.iterator](): Iterator<T> {
    return this.items[Symbol.iterator]();
  }
}
