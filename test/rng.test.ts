import { test } from "uvu";
import * as assert from "uvu/assert";
import { createRng, shuffleInPlace, type Rng } from "../src/util/rng";
import { mean, std } from "../src/util/stats";

test("same seed gives identical streams; forks are independent of parent draws", () => {
  const a = createRng(42);
  const b = createRng(42);
  const xs = Array.from({ length: 5 }, () => a.normal());
  const ys = Array.from({ length: 5 }, () => b.normal());
  assert.equal(xs, ys);
  const c = createRng(42).fork("dev");
  const d = createRng(42);
  d.uniform();
  assert.is(c.uniform(), d.fork("dev").uniform());
});

test("normal draws have mean 0 and std 1 within sampling error", () => {
  const r = createRng("stats");
  const n = 40000;
  const xs = Array.from({ length: n }, () => r.normal());
  // 5-sigma bounds: a false failure has probability < 1e-6.
  assert.ok(Math.abs(mean(xs)) < 5 / Math.sqrt(n));
  assert.ok(Math.abs(std(xs) - 1) < 5 * Math.sqrt(1 / (2 * n)));
});

test("consecutive normal draws are uncorrelated and never repeat (both Box–Muller values of a pair are distinct)", () => {
  // Independent N(0, 1): the products z_i·z_{i+1} have mean 0 and variance 1 and are pairwise uncorrelated, so
  // n⁻¹·Σ z_i·z_{i+1} has SE 1/√n; 5 SE. Returning each value twice would make half the products z² (mean 1): ≈ 0.5.
  const r = createRng("lag1");
  const n = 40000;
  const z = Array.from({ length: n + 1 }, () => r.normal());
  let s = 0;
  for (let i = 0; i < n; i++) s += z[i] * z[i + 1];
  assert.ok(Math.abs(s / n) < 5 / Math.sqrt(n), `lag-1 correlation ${s / n}`);
  for (let i = 0; i < n; i++) assert.ok(z[i] !== z[i + 1], `draws ${i} and ${i + 1} are equal (${z[i]})`);
});

test("bernoulli rejects probabilities outside [0, 1]", () => {
  const r = createRng(1);
  assert.throws(() => r.bernoulli(1.5), /\[0, 1\]/);
});

test("shuffleInPlace: Fisher–Yates from the end, one int(i + 1) per position, by hand with scripted draws", () => {
  const draws = [1, 0, 1];
  const asked: number[] = [];
  const scripted = { int: (n: number) => (asked.push(n), draws[asked.length - 1]) } as unknown as Rng;
  // [0, 1, 2, 3]: i = 3 swaps with 1 → [0, 3, 2, 1]; i = 2 with 0 → [2, 3, 0, 1]; i = 1 with itself.
  const a = [0, 1, 2, 3];
  assert.is(shuffleInPlace(a, scripted), a);
  assert.equal(a, [2, 3, 0, 1]);
  assert.equal(asked, [4, 3, 2]);
  // Typed arrays shuffle the same way; a seeded stream gives a permutation.
  const p = shuffleInPlace(Int32Array.from({ length: 50 }, (_, i) => i), createRng("perm"));
  assert.equal(Array.from(p).sort((x, y) => x - y), Array.from({ length: 50 }, (_, i) => i));
});

test.run();
