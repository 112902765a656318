/**
 * sweepHalfSelect (src/experiments/choi-training.ts), the table notebook 09 records choi.k.* and falcone.training
 * from. trainAnalog and trainSoftware are exercised in test/cmo.test.ts; here every row of the sweep is rebuilt
 * by calling them directly with the pulse-stream labels the function documents ("pulses-r" for repeat r when
 * repeats > 1, the config's own stream otherwise), and its mean, sample std and first-repeat tallies recomputed.
 * The network is the small 784-16-10 of test/cmo.test.ts (about 0.2 s per analog run).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mnistSplit } from "../src/experiments/choi-mnist";
import { sweepHalfSelect, trainAnalog, trainSoftware, type SweepRow, type TrainingConfig, type TrainingResult } from "../src/experiments/choi-training";

const C: TrainingConfig = { trainPerDigit: 30, testPerDigit: 20, epochs: 1, hidden: 16, learningRate: 0.011, weightGain: 3, bl: 10, stepFraction: 0.002, stepNoiseRel: 0.3, rowGain: 1, seed: 1 };
const DATA = mnistSplit(C.trainPerDigit, C.testPerDigit, C.seed);

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

/** The tally-derived fields of a row, from one run (first and last layer), by the SweepRow field docs. */
function checkTallies(row: SweepRow, run: TrainingResult, what: string): void {
  const first = run.layers[0].tally;
  const last = run.layers[run.layers.length - 1].tally;
  assert.is(run.layers.length, 2, "784-16-10 has two layers");
  close(row.meanAbsWeightL1, run.layers[0].meanAbsWeight, `${what} meanAbsWeightL1`);
  close(row.halfPerFullL1, first.fullPulses > 0 ? first.halfPulses / first.fullPulses : 0, `${what} halfPerFullL1`);
  close(row.disturbToSignalL1, first.signalAbs > 0 ? first.disturbAbs / first.signalAbs : 0, `${what} disturbToSignalL1`);
  close(row.disturbToSignalOut, last.signalAbs > 0 ? last.disturbAbs / last.signalAbs : 0, `${what} disturbToSignalOut`);
  close(row.grossDisturbToSignalL1, first.signalAbs > 0 ? first.disturbGrossAbs / first.signalAbs : 0, `${what} grossDisturbToSignalL1`);
  close(row.grossDisturbToSignalOut, last.signalAbs > 0 ? last.disturbGrossAbs / last.signalAbs : 0, `${what} grossDisturbToSignalOut`);
}

test("sweepHalfSelect, 2 repeats: one row per k, then the extras, then software; mean and sample std of the repeats recomputed from trainAnalog", () => {
  const ks = [0, 0.05];
  const extra = [{ label: "CMO-like", k: 0.02 }];
  const { rows, software } = sweepHalfSelect(C, ks, extra, 2);
  assert.equal(rows.map((r) => r.device), ["soft bounds", "soft bounds", "CMO-like", "software"]);
  assert.equal(rows.map((r) => r.k), [0, 0.05, 0.02, 0]);
  let spread = 0;
  [...ks.map((k) => ({ k, row: rows[ks.indexOf(k)] })), { k: 0.02, row: rows[2] }].forEach(({ k, row }) => {
    const runs = [0, 1].map((r) => trainAnalog({ ...C, pulseStream: `pulses-${r}` }, k, DATA));
    const [a0, a1] = runs.map((r) => r.finalTestAccuracyPct);
    // n = 2: mean (a0 + a1)/2; sample std √(((a0 − m)² + (a1 − m)²)/(2 − 1)) = |a0 − a1|/√2.
    close(row.accuracyPct, (a0 + a1) / 2, `k ${k} accuracyPct`);
    close(row.accuracyStdPct, Math.abs(a0 - a1) / Math.SQRT2, `k ${k} accuracyStdPct`);
    if (a0 !== a1) spread++;
    // The tallies are those of the first repeat.
    checkTallies(row, runs[0], `k ${k}`);
    if (k > 0) {
      assert.ok(runs[0].layers[0].tally.signalAbs > 0 && runs[0].layers[1].tally.halfPulses > 0, `k ${k}: precondition, tallies kept`);
      assert.ok(runs[0].layers[0].meanAbsWeight !== runs[1].layers[0].meanAbsWeight, `k ${k}: precondition, the repeats' tallies differ`);
    } else {
      // k = 0 keeps no tally: every ratio is 0 by the rule "0 when there is no signal".
      for (const f of ["halfPerFullL1", "disturbToSignalL1", "disturbToSignalOut", "grossDisturbToSignalL1", "grossDisturbToSignalOut"]) assert.is(row[f], 0, f);
    }
  });
  assert.ok(spread >= 2, `precondition: the two pulse streams give different accuracies in ${spread} of 3 rows`);

  // The software row is trainSoftware on the same split: deterministic, one run, std 0, no tally.
  const ref = trainSoftware(C, DATA);
  assert.equal(software.testAccuracyPct, ref.testAccuracyPct);
  const sw = rows[3];
  close(sw.accuracyPct, ref.finalTestAccuracyPct, "software accuracyPct");
  assert.is(sw.accuracyStdPct, 0);
  checkTallies(sw, ref, "software");
});

test("sweepHalfSelect, 1 repeat: the row is the run on the config's own pulse stream (default \"pulses\"), std 0", () => {
  const one = sweepHalfSelect(C, [0.05]);
  assert.equal(one.rows.map((r) => [r.device, r.k]), [["soft bounds", 0.05], ["software", 0]]);
  const run = trainAnalog(C, 0.05, DATA);
  close(one.rows[0].accuracyPct, run.finalTestAccuracyPct, "accuracyPct");
  assert.is(one.rows[0].accuracyStdPct, 0);
  checkTallies(one.rows[0], run, "k 0.05");
  // With its own stream name the config's stream is used, not a "pulses-r" one.
  const named = sweepHalfSelect({ ...C, pulseStream: "mine" }, [0.05]);
  const mine = trainAnalog({ ...C, pulseStream: "mine" }, 0.05, DATA);
  checkTallies(named.rows[0], mine, "pulseStream mine");
  close(named.rows[0].accuracyPct, mine.finalTestAccuracyPct, "pulseStream mine accuracyPct");
  assert.ok(mine.layers[0].meanAbsWeight !== run.layers[0].meanAbsWeight, "precondition: the two streams differ");
});

test("sweepHalfSelect: repeats must be an integer ≥ 1; a bad k throws naming it", () => {
  const rangeNaming = (re: RegExp) => (e: unknown) => e instanceof RangeError && re.test((e as Error).message);
  assert.throws(() => sweepHalfSelect(C, [0], [], 0), rangeNaming(/repeats/));
  assert.throws(() => sweepHalfSelect(C, [0], [], 1.5), rangeNaming(/repeats/));
  assert.throws(() => sweepHalfSelect({ ...C, epochs: 0 }, [0]), rangeNaming(/epochs/));
  assert.throws(() => sweepHalfSelect({ ...C, epochs: 1 }, [], [{ label: "bad", k: 1.5 }]), rangeNaming(/k \(half-select ratio\)/));
});

test.run();
