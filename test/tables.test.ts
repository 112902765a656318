/**
 * src/notebook/tables.ts: the danfo tables notebooks print. Values must sit under their own column heads whatever
 * the key order of each row, and a row without a key leaves its cell empty.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { frame, frameToHtml, frameToText } from "../src/notebook/tables";

test("frame matches values to columns by key: reordered keys, a missing key, a key first seen in a later row", () => {
  const df = frame([{ a: 1, b: "x" }, { b: "y", a: 2 }, { a: 3, c: true }, { b: "z" }]);
  assert.equal(df.columns, ["a", "b", "c"]);
  // Row 2 was written b-first: its a is 2 and its b is "y" (danfo's object constructor put "y" under a).
  assert.equal(frameToText(df).split("\n"), ["a  b  c", "1  x", "2  y", "3     true", "   z"]);
  const html = frameToHtml(df);
  assert.match(html, /<tr><td style="text-align:right">2<\/td><td style="text-align:left">y<\/td><td style="text-align:left"><\/td><\/tr>/);
});

test("frame keeps the first row's column order and formats numbers to the asked significant digits", () => {
  const df = frame([{ z: 0.123456, y: "p" }, { y: "q", z: 1234567.5 }]); // ≥ 1e6 and not an integer: exponent form
  assert.equal(df.columns, ["z", "y"]);
  assert.equal(frameToText(df, "caption", 3).split("\n"), ["caption", "      z  y", "  0.123  p", "1.23e+6  q"]);
  assert.throws(() => frame([]), /no rows/);
});

test.run();
