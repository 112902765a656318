/**
 * Yang Fig 6d–k: task-incremental continual learning of three small 2-D tasks (Data-A → Data-B →
 * Data-C) by a 2×3×1 metaplastic BNN with 3-bit hidden weights and the ECRAM-MTT transfer function
 * (§4.9: lr 0.005, m = 10), compared with the same network without metaplasticity (m = 0); then the
 * first-layer hidden weights are written into ECRAM-MTT and RRAM-MTT units by write-verify.
 *
 * Each task has its own BatchNorm state (Laborieux et al.'s task-incremental setting); Adam is reset at
 * each new task. After every epoch the test accuracy of every task is measured with that task's
 * BatchNorm state.
 */
import type { WeightTransferFunction } from "../mtt/transfer-function";
import { createRng } from "../util/rng";
import { createNetwork, type BinaryNetwork } from "../nn/network";
import { Trainer, evaluate, train } from "../nn/train";
import { toyDataset, type ToyName } from "../nn/datasets/toy2d";
import type { Dataset } from "../nn/datasets/dataset";
import { quantizeHidden } from "../nn/quantizers";
import { mttHardware, programLayer, type MappedLayer, type MttTechnology } from "../nn/hardware-mapping";
import { branchCurrentUA, nodeVoltageV } from "../mtt/circuit";
import { writeVerify } from "../array/write-verify";

export interface ContinualSmallConfig {
  seeds: number[];
  tasks: ToyName[];
  /** Points per task for training and test (assumed; the paper shows the sets only as plots). */
  trainCount: number;
  testCount: number;
  /** Epochs per task (assumed: 30; the paper does not give it). */
  epochsPerTask: number;
  /** Assumed: 10. */
  batchSize: number;
  /** §4.9: 0.005. */
  lr: number;
  /** §4.9: m = 10; the baseline uses 0. */
  meta: number;
  /** §4.9: 3 bits within ±1. */
  hiddenBits: number;
  transfer: WeightTransferFunction;
  /** Hidden units; §4.9: 3 (2×3×1). Other widths only for the capacity control, never for the registry value. */
  hiddenUnits?: number;
}

export interface ContinualPoint {
  seed: number;
  meta: number;
  /** Epoch counted over the whole sequence, 1-based. */
  epoch: number;
  trainingTask: string;
  evalTask: string;
  accuracy: number;
}

export interface ContinualRun {
  seed: number;
  meta: number;
  net: BinaryNetwork;
  tests: Dataset[];
  curve: ContinualPoint[];
  /** Test accuracy of every task after the whole sequence. */
  finalAccuracy: number[];
  /** Test accuracy of each task right after it was trained. */
  justLearned: number[];
  /** Copies of the hidden weights of every layer right after each task (for the lock-in diagnosis). */
  hiddenAfterTask: Float32Array[][];
  /** Mean |W_h| of each layer after every epoch (epoch counted over the sequence, 1-based). */
  hiddenTrace: { epoch: number; layer: number; meanAbsHidden: number }[];
}

/** Train one restart through the task sequence with the given metaplasticity. */
export function runContinualSmall(cfg: ContinualSmallConfig, seed: number, meta: number, transfer: WeightTransferFunction = cfg.transfer): ContinualRun {
  const rng = createRng(`continual-small/${seed}`);
  const trains = cfg.tasks.map((t) => toyDataset(t, cfg.trainCount, rng.fork("train")));
  const tests = cfg.tasks.map((t) => toyDataset(t, cfg.testCount, rng.fork("test")));
  const net = createNetwork({ layerSizes: [2, cfg.hiddenUnits ?? 3, 1], transfer, hiddenBits: cfg.hiddenBits, tasks: cfg.tasks.length }, rng.fork("net"));
  const trainer = new Trainer(net, { lr: cfg.lr, meta });
  const curve: ContinualPoint[] = [];
  const justLearned: number[] = [];
  const hiddenAfterTask: Float32Array[][] = [];
  const hiddenTrace: ContinualRun["hiddenTrace"] = [];
  cfg.tasks.forEach((name, k) => {
    train(trainer, trains[k], {
      epochs: cfg.epochsPerTask,
      batchSize: cfg.batchSize,
      task: k,
      rng: rng.fork(`training/${k}`),
      evalSets: tests.map((d, j) => ({ name: cfg.tasks[j], data: d, task: j })),
      onEpoch: (r) => {
        const epoch = k * cfg.epochsPerTask + r.epoch + 1;
        for (const [evalTask, acc] of Object.entries(r.evals)) curve.push({ seed, meta, epoch, trainingTask: name, evalTask, accuracy: acc });
        net.hidden.forEach((h, layer) => hiddenTrace.push({ epoch, layer, meanAbsHidden: h.reduce((a, w) => a + Math.abs(w), 0) / h.length }));
      },
    });
    justLearned.push(evaluate(net, tests[k], { task: k }).accuracy);
    hiddenAfterTask.push(net.hidden.map((h) => h.slice()));
  });
  return { seed, meta, net, tests, curve, finalAccuracy: tests.map((d, j) => evaluate(net, d, { task: j }).accuracy), justLearned, hiddenAfterTask, hiddenTrace };
}

/**
 * Sign flips of the first-layer hidden weights while the last task was learned, split by how large |W_h| was
 * before it (below `guard`: weights that no consolidation protects). A binary weight contributes ±1 whatever its
 * |W_h|, so a flip of an unprotected weight still moves every earlier task's pre-activation.
 */
export function lastTaskFlips(run: ContinualRun, guard = 0.1): { unprotected: number; protected: number } {
  const n = run.hiddenAfterTask.length;
  if (n < 2) throw new RangeError(`needs at least two tasks, the run has ${n}`);
  const before = run.hiddenAfterTask[n - 2][0];
  const after = run.hiddenAfterTask[n - 1][0];
  let unprotectedFlips = 0;
  let protectedFlips = 0;
  for (let i = 0; i < before.length; i++) {
    if (before[i] >= 0 === after[i] >= 0) continue;
    if (Math.abs(before[i]) < guard) unprotectedFlips++;
    else protectedFlips++;
  }
  return { unprotected: unprotectedFlips, protected: protectedFlips };
}

/** What one first-layer hidden unit of a 2-input network looks at. */
export interface UnitProjection {
  /**
   * With binary first-layer weights (the ECRAM-MTT table is ±0.985…±0.998 at the 3-bit levels) a unit
   * sees s·(x1 + x2) or s·(x1 − x2); the sign s and the threshold belong to the task's BatchNorm (γ may be
   * negative, β shifts), so the only thing the tasks share per unit is which of the two diagonals it uses.
   */
  projection: "x1+x2" | "x1−x2";
  /**
   * min(|W_h|) over the unit's two weights: flipping either one changes the projection, and the
   * metaplastic damping of that flip is f_meta(m, this value) (the smaller weight is the weaker guard).
   */
  guardMagnitude: number;
}

/**
 * The projection of every hidden unit of a first layer with 2 inputs (weights in×out row-major, in = 2):
 * unit j uses x1 + x2 when sign(W[0, j]) = sign(W[1, j]) (sign(0) = +1, as the binarizer), else x1 − x2.
 */
export function unitProjections(firstLayer: ArrayLike<number>, units: number): UnitProjection[] {
  if (firstLayer.length !== 2 * units) throw new RangeError(`firstLayer must hold 2×${units} weights (2 inputs × ${units} units), got ${firstLayer.length}`);
  return Array.from({ length: units }, (_, j) => {
    const a = firstLayer[j];
    const b = firstLayer[units + j];
    return { projection: (a >= 0) === (b >= 0) ? "x1+x2" : "x1−x2", guardMagnitude: Math.min(Math.abs(a), Math.abs(b)) };
  });
}

/** One point of a programming trajectory with the MTT node voltage and inference current it implies. */
export interface ProgrammingTracePoint {
  technology: MttTechnology;
  device: string;
  pulse: number;
  conductanceUS: number;
  nodeVoltageV: number;
  inferenceCurrentUA: number;
}

export interface HardwareMapping {
  technology: MttTechnology;
  layer: MappedLayer;
  /** Hardware test accuracy per task with all layers programmed. */
  hardwareAccuracy: number[];
  softwareAccuracy: number[];
  traces: ProgrammingTracePoint[];
  pulsesPerDevice: number[];
}

/**
 * Program every layer of a trained run into MTT units of one technology, evaluate all tasks through the
 * circuit, and return the first layer's devices (targets, reached conductances, traces with node voltage
 * and inference current).
 */
export function mapContinualToHardware(cfg: ContinualSmallConfig, run: ContinualRun, technology: MttTechnology): HardwareMapping {
  const hw = mttHardware(technology);
  const rng = createRng(`continual-small/${run.seed}/${technology}/programming`);
  const layers = run.net.hidden.map((h, l) => programLayer(hw, h.map((v) => quantizeHidden(v, cfg.hiddenBits)), rng.fork(`layer${l}`), { traces: l === 0 }));
  const weights = layers.map((m) => m.inferenceWeights);
  const hardwareAccuracy = run.tests.map((d, j) => evaluate(run.net, d, { task: j, weights, bnMode: "running" }).accuracy);
  const softwareAccuracy = run.tests.map((d, j) => evaluate(run.net, d, { task: j, bnMode: "running" }).accuracy);
  const traces: ProgrammingTracePoint[] = [];
  const c = hw.unit.circuit;
  for (const d of layers[0].devices) {
    const name = `w${d.weightIndex + 1} ${d.side === "positive" ? "+" : "−"}`;
    (d.trace ?? []).forEach((g, p) => traces.push({ technology, device: name, pulse: p, conductanceUS: g, nodeVoltageV: nodeVoltageV(c, g), inferenceCurrentUA: branchCurrentUA(c, g, 1) }));
  }
  return { technology, layer: layers[0], hardwareAccuracy, softwareAccuracy, traces, pulsesPerDevice: layers.flatMap((m) => m.devices.map((d) => d.pulses)) };
}

/** True when every value lies on the uniform n-bit grid within ±bound (to float32 precision). */
export function onHiddenGrid(values: ArrayLike<number>, bits: number, bound = 1): boolean {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Math.abs(v) > bound + 1e-6) return false;
    if (Math.abs(quantizeHidden(v, bits, bound) - v) > 1e-6) return false;
  }
  return true;
}

/**
 * Fig 6h,k illustration: one device of a unit, erased to its floor, write-verified up to the conductance
 * of hidden weight `hidden` (e.g. a 3-bit level); the trace with the divider node voltage and the
 * inference current shows the binary weight saturating long before the hidden weight arrives.
 */
export function programFromFloor(technology: MttTechnology, hidden: number, seed = 1): ProgrammingTracePoint[] {
  const hw = mttHardware(technology);
  const rng = createRng(`program-from-floor/${technology}/${seed}`);
  const dev = hw.newDevice();
  dev.setConductanceUS(dev.gMinUS);
  const res = writeVerify(dev, hw.unit.window.gMinUS + Math.abs(hidden) * (hw.unit.window.gMaxUS - hw.unit.window.gMinUS), hw.scheme, rng, { trace: true });
  const c = hw.unit.circuit;
  return (res.trace ?? []).map((g, p) => ({ technology, device: `from floor to |W_h| = ${Math.abs(hidden).toFixed(3)}`, pulse: p, conductanceUS: g, nodeVoltageV: nodeVoltageV(c, g), inferenceCurrentUA: branchCurrentUA(c, g, 1) }));
}
