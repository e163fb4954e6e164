/**
 * Stable keys for the rows of a virtualised list. A row keeps its slot while it stays in the
 * window, and a row entering takes the slot of one that left, so scrolling updates the same few
 * row elements instead of creating new ones and dropping old ones on every step — each
 * created-and-dropped element is memory the web view keeps long after (docs/performance.md).
 */
export class SlotPool {
  private slots = new Map<number, number>();
  /** Slots made before and not in use now, lowest last (handed out first by `pop`). */
  private free: number[] = [];
  private made = 0;

  /** The slot of each index, in the order given; indices absent since the last call free theirs. */
  assign(indices: readonly number[]): number[] {
    const wanted = new Set(indices);
    for (const [index, slot] of this.slots) {
      if (!wanted.has(index)) {
        this.slots.delete(index);
        this.free.push(slot);
      }
    }
    this.free.sort((a, b) => b - a);
    return indices.map((index) => {
      let slot = this.slots.get(index);
      if (slot === undefined) {
        slot = this.free.pop() ?? this.made++;
        this.slots.set(index, slot);
      }
      return slot;
    });
  }
}
