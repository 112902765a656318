/**
 * Training and evaluation of the binarized CNN of conv-network.ts, in the shape of train.ts's Trainer / train /
 * evaluate: `ConvTrainer` (a `MetaplasticTrainer`, so `train(...)` runs it with its callbacks and evaluation)
 * and `evaluateConv`, both checking first that a dataset fits the network's input and output layers.
 */
import type { Rng } from "../util/rng";
import { requireInteger, requirePositive } from "../util/validate";
import { DEFAULT_PATCH_BUDGET } from "./conv-kernels";
import { convBackward, convForward, convInputDim, convOutputs, shape3, type BinaryConvNetwork } from "./conv-network";
import { jsMatMul, type MatMulBackend } from "./matmul";
import type { AdamConfig } from "./metaplastic-adam";
import { inferenceWeights, lossAndGrad, Workspace } from "./network";
import type { OptimizerBackend } from "./parallel";
import { makeBinarizer } from "./quantizers";
import { ProgrammingErrorWriter } from "./programming-error";
import { attachGradients, batchesPerEpoch, divergedError, firstNonFinite, gatherBatch, MetaplasticTrainer, SERIAL_ADAM, shuffledIndices, type EvaluateOptions, type TrainOptions } from "./train";
import type { Dataset } from "./datasets/dataset";

function checkConvDataset(net: BinaryConvNetwork, data: Dataset): void {
  const dim = convInputDim(net);
  const { inputChannels: c, inputHeight: h, inputWidth: w } = net.config;
  if (data.dim !== dim) throw new RangeError(`dataset "${data.name}" has samples of shape [${data.dim}], the network's input layer has shape ${shape3(c, h, w)} = [${dim}]`);
  if (data.count === 0) throw new RangeError(`dataset "${data.name}" has no samples (count 0)`);
  const nOut = convOutputs(net);
  const classes = nOut === 1 ? 2 : nOut;
  if (data.classes > classes) throw new RangeError(`dataset "${data.name}" has ${data.classes} classes, the network's output layer (${nOut} unit${nOut > 1 ? "s" : ""}) handles ${classes}`);
}

/**
 * Owns a conv network's optimizer state, as train.ts's Trainer: hidden weights get metaplastic Adam and
 * the clip to ±hiddenBound, BatchNorm γ and β plain Adam; `startTask` selects the task's BatchNorm and
 * resets Adam's moments (Laborieux et al.).
 */
export class ConvTrainer extends MetaplasticTrainer<BinaryConvNetwork> {
  readonly patchBudget: number;
  private readonly binarize: (hidden: Float32Array, out: Float32Array) => void;
  private readonly inferenceBuffers: Float32Array[];
  private readonly workspace = new Workspace();
  private programming?: ProgrammingErrorWriter;

  /** `backend`: matrix products (default plain JS). `optimizer`: how the Adam step runs (default serial JS). */
  constructor(net: BinaryConvNetwork, opts: { lr: number; meta: number; backend?: MatMulBackend; optimizer?: OptimizerBackend; patchBudget?: number } & Partial<AdamConfig>) {
    super(net, opts, opts.backend ?? jsMatMul, opts.optimizer ?? SERIAL_ADAM);
    this.patchBudget = requirePositive("patchBudget", opts.patchBudget ?? DEFAULT_PATCH_BUDGET);
    this.binarize = makeBinarizer(net.config);
    this.inferenceBuffers = net.hidden.map((h) => new Float32Array(h.length));
  }

  accuracy(data: Dataset, task: number): number {
    return evaluateConv(this.net, data, { task, backend: this.backend }).accuracy;
  }

  /** The error for a step that diverged: the layer, the check that fired and the step (built only then). */
  private divergedAt(caches: readonly { y: Float32Array }[], what: string): Error {
    const names = this.net.blocks.map((b) => `layer ${b.index} (${b.kind})`);
    return divergedError(caches, what, `task ${this.task}, step ${this.adam.step + 1}`, names);
  }

  /**
   * One mini-batch step on `x` (batch × C × H × W) with `labels`: W_b = f(Q(W_h)), forward, loss,
   * backward, metaplastic Adam, then the programming error of programming-error.ts (W_h ← W_h·(1 + σ·ε) on the
   * written weights) from `noiseRng` when σ > 0.
   * Returns the batch's mean loss and number of correct predictions.
   */
  trainStep(x: Float32Array, labels: ArrayLike<number>, batch: number, noiseRng?: Rng): { loss: number; correct: number } {
    const net = this.net;
    requireInteger("batch", batch, 1);
    if (labels.length !== batch) throw new RangeError(`labels has ${labels.length} entries, the batch has ${batch} samples`);
    const sigma = net.config.programmingNoiseRel;
    if (sigma > 0 && !noiseRng) throw new RangeError(`programmingNoiseRel is ${sigma} > 0, so trainStep needs a noiseRng`);
    const weights = this.inferenceBuffers;
    for (let l = 0; l < weights.length; l++) this.binarize(net.hidden[l], weights[l]);
    const fwd = convForward(net, weights, x, batch, this.task, { training: true, backend: this.backend, workspace: this.workspace, patchBudget: this.patchBudget });
    // A huge γ can overflow γ·x̂ + β with finite statistics; then only the loss shows it, so both checks name the layer.
    if (!fwd.finite) throw this.divergedAt(fwd.caches, "non-finite BatchNorm statistics");
    const { loss, grad, correct } = lossAndGrad(fwd.logits, labels, batch, convOutputs(net));
    if (!Number.isFinite(loss)) throw this.divergedAt(fwd.caches, `loss is ${loss}`);
    const g = convBackward(net, weights, fwd, grad, batch, this.task, { backend: this.backend, workspace: this.workspace, patchBudget: this.patchBudget });
    attachGradients(this.slots, g);
    this.programming ??= new ProgrammingErrorWriter(net.config, net.hidden);
    this.programming.beforeUpdate(net.hidden);
    this.optimizer.step(this.slots, this.adam, this.adamConfig);
    if (noiseRng) this.programming.afterUpdate(net.hidden, noiseRng);
    return { loss, correct };
  }

  /** One epoch over `data` for the current task (shuffled by `rng.fork("shuffle")`); mean loss and accuracy. */
  trainEpoch(data: Dataset, batchSize: number, epoch: number, rng: Rng, onStep?: TrainOptions["onStep"], dropLast = true): { loss: number; accuracy: number } {
    checkConvDataset(this.net, data);
    requireInteger("batchSize", batchSize, 1);
    const order = shuffledIndices(data.count, rng.fork("shuffle"));
    const noiseRng = rng.fork("programming-noise");
    let lossSum = 0;
    let correct = 0;
    let seen = 0;
    const nBatches = batchesPerEpoch(data.count, batchSize, dropLast);
    for (let bi = 0; bi < nBatches; bi++) {
      const start = bi * batchSize;
      const bs = Math.min(batchSize, data.count - start);
      const { x, labels } = gatherBatch(data, order, start, bs);
      const r = this.trainStep(x, labels, bs, noiseRng);
      lossSum += r.loss * bs;
      correct += r.correct;
      seen += bs;
      onStep?.({ task: this.task, epoch, batch: bi, step: this.adam.step });
    }
    this.programming?.afterEpoch(this.net.hidden, noiseRng);
    const bad = firstNonFinite(this.slots.map((s) => s.value), this.slots.map((s) => s.name));
    if (bad !== "none") throw new Error(`training diverged: ${bad} became non-finite in task ${this.task}, epoch ${epoch}`);
    return { loss: lossSum / Math.max(1, seen), accuracy: correct / Math.max(1, seen) };
  }

}

/** Accuracy (in [0, 1]), mean loss and per-sample predictions, as train.ts's `evaluate` (here the default batch is 100, there 1000). */
export function evaluateConv(net: BinaryConvNetwork, data: Dataset, opts: EvaluateOptions & { patchBudget?: number }): { accuracy: number; loss: number; predictions: Int32Array } {
  checkConvDataset(net, data);
  const weights = opts.weights ?? inferenceWeights(net);
  const nOut = convOutputs(net);
  const bsMax = requireInteger("batchSize", opts.batchSize ?? 100, 1);
  const ws = new Workspace();
  const predictions = new Int32Array(data.count);
  let correct = 0;
  let lossSum = 0;
  for (let start = 0; start < data.count; start += bsMax) {
    const bs = Math.min(bsMax, data.count - start);
    const x = data.x.subarray(start * data.dim, (start + bs) * data.dim);
    const labels = data.y.subarray(start, start + bs);
    const fwd = convForward(net, weights, x, bs, opts.task, { training: false, bnMode: opts.bnMode ?? "batch", backend: opts.backend, workspace: ws, patchBudget: opts.patchBudget });
    const r = lossAndGrad(fwd.logits, labels, bs, nOut);
    correct += r.correct;
    lossSum += r.loss * bs;
    for (let b = 0; b < bs; b++) {
      if (nOut === 1) predictions[start + b] = fwd.logits[b] >= 0 ? 1 : 0;
      else {
        let arg = 0;
        for (let j = 1; j < nOut; j++) if (fwd.logits[b * nOut + j] > fwd.logits[b * nOut + arg]) arg = j;
        predictions[start + b] = arg;
      }
    }
  }
  return { accuracy: correct / data.count, loss: lossSum / data.count, predictions };
}
