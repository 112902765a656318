import { test } from "uvu";
import * as assert from "uvu/assert";
import { accuracyStdPp, linearFit, linspace, max, mean, median, min, rmse, std } from "../src/util/stats";

test("mean, sample std (n − 1), min, max by hand", () => {
  // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, Σ(x − 5)² = 32, sample variance 32/7.
  const xs = [2, 4, 4, 4, 5, 5, 7, 9];
  assert.is(mean(xs), 5);
  assert.ok(Math.abs(std(xs) - Math.sqrt(32 / 7)) < 1e-15);
  assert.is(std([3]), 0);
  assert.is(min(Float64Array.from(xs)), 2);
  assert.is(max(xs), 9);
  assert.ok(Number.isNaN(mean([])));
});

test("median: the middle value, or the mean of the two middle values; the input is not reordered", () => {
  const odd = [9, 1, 5];
  assert.is(median(odd), 5);
  assert.equal(odd, [9, 1, 5]);
  assert.is(median([4, 1, 3, 2]), 2.5);
  assert.is(median(Float32Array.from([10, -2])), 4);
  assert.is(median([-1e300, 1e300, 0]), 0); // numeric, not lexicographic, order
  assert.is(median([10, 9, 100]), 10); // a string sort would put "100" before "9"
  assert.throws(() => median([]), /empty/);
});

test("rmse by hand; different lengths throw", () => {
  // Differences 3, −4: √((9 + 16)/2).
  assert.ok(Math.abs(rmse([4, 0], [1, 4]) - Math.sqrt(12.5)) < 1e-15);
  assert.is(rmse([1, 2], [1, 2]), 0);
  assert.throws(() => rmse([1], [1, 2]), /lengths differ/);
});

test("linearFit: an exact line is recovered with R² = 1; a hand-worked noisy case", () => {
  const x = [0, 1, 2, 3];
  const exact = linearFit(x, x.map((v) => 2 * v - 1));
  assert.ok(Math.abs(exact.slope - 2) < 1e-15 && Math.abs(exact.intercept + 1) < 1e-15 && Math.abs(exact.r2 - 1) < 1e-15);
  // y = 1, 3, 2, 4: x̄ = 1.5, ȳ = 2.5; Sxy = 4, Sxx = 5, Syy = 5 → slope 0.8, intercept 1.3, R² = 16/25.
  const f = linearFit(x, [1, 3, 2, 4]);
  assert.ok(Math.abs(f.slope - 0.8) < 1e-15 && Math.abs(f.intercept - 1.3) < 1e-15 && Math.abs(f.r2 - 0.64) < 1e-15, JSON.stringify(f));
  assert.is(linearFit(x, [2, 2, 2, 2]).r2, 1); // a flat line is fitted exactly
});

test("linspace: inclusive ends and even steps", () => {
  assert.equal(linspace(0, 1, 5), [0, 0.25, 0.5, 0.75, 1]);
  assert.equal(linspace(3, 7, 1), [3]);
});

test("accuracyStdPp: 100·√(p(1 − p)/n) by hand; bad accuracy or count refused", () => {
  assert.is(accuracyStdPp(50, 100), 5);
  assert.is(accuracyStdPp(0, 10), 0);
  assert.ok(Math.abs(accuracyStdPp(90, 400) - 1.5) < 1e-12);
  assert.throws(() => accuracyStdPp(101, 10), /accuracyPct/);
  assert.throws(() => accuracyStdPp(50, 0), /testCount/);
});

test.run();
