import { describe, expect, it } from "vitest";
import { SlotPool } from "./slots";

describe("SlotPool", () => {
  it("keeps a row's slot while it stays in the window", () => {
    const pool = new SlotPool();
    const first = pool.assign([10, 11, 12]);
    const second = pool.assign([11, 12, 13]);
    expect(second.slice(0, 2)).toEqual(first.slice(1, 3));
  });

  it("gives an entering row the slot of a row that left, so no new slot is made", () => {
    const pool = new SlotPool();
    pool.assign([0, 1, 2, 3]);
    const after = pool.assign([2, 3, 4, 5]);
    expect(new Set(after)).toEqual(new Set([0, 1, 2, 3]));
  });

  it("never gives two rows of one window the same slot", () => {
    const pool = new SlotPool();
    let window = [0, 1, 2, 3, 4];
    for (let step = 0; step < 200; step++) {
      const shift = (step * 7) % 5;
      const size = 3 + (step % 4);
      window = Array.from({ length: size }, (_, i) => step * 2 + shift + i);
      const slots = pool.assign(window);
      expect(new Set(slots).size).toBe(slots.length);
      expect(Math.max(...slots)).toBeLessThan(6);
    }
  });

  it("a shrinking then growing window does not hand out a slot in use", () => {
    const pool = new SlotPool();
    pool.assign([0, 1, 2, 3, 4, 5]);
    pool.assign([4, 5]);
    pool.assign([4, 5, 6, 7]);
    const slots = pool.assign([4, 5, 6, 7, 8]);
    expect(new Set(slots).size).toBe(5);
  });

  it("a far jump reuses the slots too", () => {
    const pool = new SlotPool();
    pool.assign([0, 1, 2]);
    expect(pool.assign([5000, 5001, 5002]).sort()).toEqual([0, 1, 2]);
  });
});
