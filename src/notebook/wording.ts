/**
 * Sentences that notebooks build from measured numbers, worded by the number's sign: a template with a fixed
 * "loses" or "below" reads wrong the day a run comes out the other way ("loses −3.0 pp").
 */

/** `|pp|` with `digits` decimals and "pp", followed by `below` for pp ≥ 0 and by `above` for pp < 0. */
export function gapWords(pp: number, below = "below", above = "above", digits = 1): string {
  return `${Math.abs(pp).toFixed(digits)} pp ${pp >= 0 ? below : above}`;
}

/** "loses 1.0 pp" for a loss pp ≥ 0, "gains 3.0 pp" for pp < 0. */
export function lossWords(pp: number, digits = 1): string {
  return `${pp >= 0 ? "loses" : "gains"} ${Math.abs(pp).toFixed(digits)} pp`;
}
