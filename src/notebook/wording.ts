/**
 * Sentences that notebooks build from measured numbers, worded by the number's sign: a template with a fixed
 * "loses" or "below" reads wrong the day a run comes out the other way ("loses −3.0 pp").
 */
import { requireInteger } from "../util/validate";

/** `|pp|` with `digits` decimals and "pp", followed by `below` for pp ≥ 0 and by `above` for pp < 0. */
export function gapWords(pp: number, below = "below", above = "above", digits = 1): string {
  return `${Math.abs(pp).toFixed(digits)} pp ${pp >= 0 ? below : above}`;
}

/** "loses 1.0 pp" for a loss pp ≥ 0, "gains 3.0 pp" for pp < 0. */
export function lossWords(pp: number, digits = 1): string {
  return `${pp >= 0 ? "loses" : "gains"} ${Math.abs(pp).toFixed(digits)} pp`;
}

/**
 * How many of `total` things `count` is, in words a sentence can carry whatever the run gives: "all 6", "most (4 of
 * 6)", "half (3 of 6)", "fewer than half (2 of 6)", "none of the 6".
 */
export function countWords(count: number, total: number): string {
  requireInteger("total", total, 1);
  requireInteger("count", count, 0);
  if (count > total) throw new RangeError(`countWords: count ${count} exceeds total ${total}`);
  if (count === total) return total === 1 ? "the only one" : `all ${total}`;
  if (count === 0) return `none of the ${total}`;
  if (2 * count > total) return `most (${count} of ${total})`;
  if (2 * count === total) return `half (${count} of ${total})`;
  return `fewer than half (${count} of ${total})`;
}
