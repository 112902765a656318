import { test } from "uvu";
import * as assert from "uvu/assert";
import { gapWords, lossWords } from "../src/notebook/wording";

test("gapWords and lossWords word a number by its sign, with its magnitude", () => {
  assert.is(gapWords(1.04), "1.0 pp below");
  assert.is(gapWords(-3.01), "3.0 pp above");
  assert.is(gapWords(0), "0.0 pp below");
  assert.is(gapWords(-24.66, "less", "more"), "24.7 pp more");
  assert.is(gapWords(0.125, "below", "above", 2), "0.13 pp below");
  assert.is(lossWords(9.04), "loses 9.0 pp");
  assert.is(lossWords(-0.6), "gains 0.6 pp");
});

test.run();
