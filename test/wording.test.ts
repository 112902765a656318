import { test } from "uvu";
import * as assert from "uvu/assert";
import { countWords, gapWords, lossWords } from "../src/notebook/wording";

test("gapWords and lossWords word a number by its sign, with its magnitude", () => {
  assert.is(gapWords(1.04), "1.0 pp below");
  assert.is(gapWords(-3.01), "3.0 pp above");
  assert.is(gapWords(0), "0.0 pp below");
  assert.is(gapWords(-24.66, "less", "more"), "24.7 pp more");
  assert.is(gapWords(0.125, "below", "above", 2), "0.13 pp below");
  assert.is(lossWords(9.04), "loses 9.0 pp");
  assert.is(lossWords(-0.6), "gains 0.6 pp");
});

test("countWords: all, most, half, fewer than half, none", () => {
  assert.is(countWords(6, 6), "all 6");
  assert.is(countWords(4, 6), "most (4 of 6)");
  assert.is(countWords(3, 6), "half (3 of 6)");
  assert.is(countWords(2, 6), "fewer than half (2 of 6)");
  assert.is(countWords(0, 6), "none of the 6");
  assert.is(countWords(11, 20), "most (11 of 20)");
  assert.is(countWords(1, 1), "the only one");
  assert.throws(() => countWords(7, 6), /exceeds/);
  assert.throws(() => countWords(1, 0), /total/);
});

test.run();
