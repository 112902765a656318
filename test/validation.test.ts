/**
 * Argument checks at the model boundaries: bad bit counts and NaN conductances fail loudly instead of
 * returning NaN (or a silently different quantizer) deep inside a run.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { hiddenLevelIndex, hiddenLevelIndexer, hiddenLevels, MAX_HIDDEN_BITS, quantizeHidden } from "../src/nn/quantizers";
import { quantizeSymmetric, quantizeVector } from "../src/array/periphery";
import { CMO_HFOX, conductancesAtTime, programConductances } from "../src/devices/cmo-hfox";
import { createRng } from "../src/util/rng";

test("hidden-weight quantizers reject bits 0, −1, 2.5, NaN and a bad bound", () => {
  for (const bits of [0, -1, 2.5, NaN, MAX_HIDDEN_BITS + 1]) {
    assert.throws(() => quantizeHidden(0.3, bits), /hiddenBits/, `quantizeHidden bits ${bits}`);
    assert.throws(() => hiddenLevelIndex(0.3, bits), /hiddenBits/, `hiddenLevelIndex bits ${bits}`);
    assert.throws(() => hiddenLevelIndexer(bits), /hiddenBits/, `hiddenLevelIndexer bits ${bits}`);
    assert.throws(() => hiddenLevels(bits), /hiddenBits/, `hiddenLevels bits ${bits}`);
  }
  for (const bound of [0, -1, NaN, Infinity]) {
    assert.throws(() => quantizeHidden(0.3, 3, bound), /hiddenBound/);
    assert.throws(() => hiddenLevelIndex(0.3, 3, bound), /hiddenBound/);
  }
  // A valid grid right after an invalid one still works (the once-per-grid check is not fooled).
  assert.is(hiddenLevelIndex(0.3, 3), 5);
  assert.throws(() => hiddenLevelIndex(0.3, 0), /hiddenBits/);
  assert.is(hiddenLevelIndex(0.3, 3), 5);
});

test("the validated level indexer agrees with hiddenLevelIndex and quantizeHidden", () => {
  for (const [bits, bound] of [[1, 1], [3, 1], [3, 0.5], [8, 2]] as const) {
    const index = hiddenLevelIndexer(bits, bound);
    const lv = hiddenLevels(bits, bound);
    for (let v = -1.5 * bound; v <= 1.5 * bound; v += bound / 97) {
      assert.is(index(v), hiddenLevelIndex(v, bits, bound));
      assert.is(lv[index(v)], quantizeHidden(v, bits, bound));
    }
  }
});

test("quantizeSymmetric needs bits ≥ 2 and gives 2^bits − 1 levels", () => {
  for (const bits of [1, 0, 2.5, NaN]) {
    assert.throws(() => quantizeSymmetric(0.3, bits, 1), /bits must be an integer ≥ 2/, `bits ${bits}`);
    assert.throws(() => quantizeVector([0.3], bits, 1), /bits must be an integer ≥ 2/, `bits ${bits}`);
  }
  assert.throws(() => quantizeSymmetric(0.3, 4, 0), /bound/);
  for (const bits of [2, 3, 6]) {
    const seen = new Set<number>();
    for (let v = -1.2; v <= 1.2; v += 1 / 512) seen.add(quantizeSymmetric(v, bits, 1));
    assert.is(seen.size, 2 ** bits - 1, `bits ${bits}`);
    assert.ok(seen.has(0) && seen.has(1) && seen.has(-1));
  }
  assert.equal(Array.from(quantizeVector([-2, -0.3, 0.6, 2], 2, 1)).map((v) => v + 0), [-1, 0, 1, 1]);
});

test("CMO/HfOx programming rejects NaN and out-of-window targets; reads reject NaN", () => {
  const { gMinUS, gMaxUS } = CMO_HFOX;
  for (const bad of [NaN, Infinity, gMinUS - 1, gMaxUS + 1]) {
    assert.throws(() => programConductances([50, bad], 0.002, createRng(1)), /targetsUS\[1\]/, `target ${bad}`);
  }
  // The window's bounds themselves (and a rounding hair past them) are programmable.
  const g = programConductances([gMinUS, gMaxUS, gMaxUS * (1 + 1e-15)], 0.002, createRng(1));
  assert.ok(g.every((v) => Number.isFinite(v)));
  for (const bad of [NaN, -Infinity]) {
    assert.throws(() => conductancesAtTime([50, bad], 1, createRng(1)), /programmedUS\[1\]/, `programmed ${bad}`);
    assert.throws(() => conductancesAtTime([bad], 0, createRng(1)), /programmedUS\[0\]/, `programmed ${bad} at t = 0`);
  }
  // Programmed values outside the window are legal (noise is not clamped) and come back clamped.
  assert.equal(Array.from(conductancesAtTime([gMinUS - 0.5, gMaxUS + 0.5], 0, createRng(1))), [gMinUS, gMaxUS]);
});

test.run();
