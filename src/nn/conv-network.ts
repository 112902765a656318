/**
 * A binarized convolutional network (binary VGG-style CNN) with the same MTT weight path, BatchNorm and
 * metaplastic training as the fully connected engine of network.ts / train.ts.
 *
 * Blocks. The layer list is made of `conv`, `maxpool` and `linear` entries; every conv and linear layer
 * starts a block that ends with BatchNorm and, except in the last block, the sign activation:
 *   conv block:    z = conv_{W_b}(x) (k×k, stride 1, zero padding p, no bias) [→ z = maxpool₂(z)] → y = BN(z) → sign(y)
 *   linear block:  z = x·W_b (no bias) → y = BN(z) → sign(y)        (the last block: y are the logits)
 * The max-pool sits between the convolution and BatchNorm, as in Laborieux et al.'s public BNN code and the
 * usual binary VGG (public model): BatchNorm statistics are those of the pooled map, and pooling the real
 * pre-activations picks a unique maximum (pooling after sign would compare ±1 values, almost all ties).
 * For γ > 0 the two orders give the same forward output (BN and sign are monotone), so only the statistics
 * and the gradient routing differ. A flatten is implied before the first linear layer. The last block feeds
 * softmax cross-entropy (≥ 2 outputs) or sigmoid BCE (1 output), via `lossAndGrad` of network.ts.
 *
 * Weight path. Every conv and linear layer has hidden weights W_h ~ U(−initScale, initScale) and inference
 * weights W_b = f(Q_n(clip(W_h))) from `makeBinarizer` (quantizers.ts); gradients are taken w.r.t. W_b and
 * applied to W_h by metaplastic Adam. Hidden activations are ±1 (sign(0) = +1); the sign's backward pass is
 * the straight-through estimator masked to |y| ≤ 1, i.e. exactly the derivative of hardtanh(y) = clip(y, ±1).
 * BatchNorm normalises each channel (conv: over batch × height × width; linear: over the batch) with batch
 * statistics in training; each task owns its own γ, β and running statistics.
 *
 * Memory layout (all Float32Array, row-major):
 * - network input: batch × C × H × W, channel-major per sample (as vgg7.ts loads CIFAR-10); it is converted
 *   once to the internal layout.
 * - internal feature maps: NHWC, i.e. a (batch·H·W) × C matrix (row r = (b·H + h)·W + w, column = channel).
 *   A convolution is then one matrix product P·W with the patch matrix P = im2col(x) of shape
 *   (batch·H_out·W_out) × (k·k·C_in), and BatchNorm (batchnorm.ts) runs over its columns.
 * - conv weights: (k·k·C_in) × C_out, row index (kh·k + kw)·C_in + c_in (the patch column order), column c_out.
 * - flatten: a sample's NHWC map is already contiguous, so the first linear layer's input feature index is
 *   (h·W + w)·C + c. (PyTorch flattens as (c·H + h)·W + w: importing its weights needs that row permutation.)
 * - linear weights: in × out, as network.ts.
 * The patch matrix of a layer is built for a chunk of samples at a time so that it stays under
 * `patchBudget` elements (VGG-7's second conv at batch 100 would otherwise need 118 M floats); each chunk
 * is one product through the {@link MatMulBackend}. The backward pass rebuilds the patches instead of keeping
 * them: dW = Σ_chunks Pᵀ·dZ, dX = col2im(dZ·Wᵀ).
 *
 * This module holds the network: layer list, plan, creation, forward and backward (its inference weights come
 * from network.ts's `inferenceWeights`). The array kernels are in conv-kernels.ts, training and evaluation in
 * conv-trainer.ts, the presets by name in conv-architectures.ts.
 */
import type { Rng } from "../util/rng";
import { requireInRange, requireInteger, requireNonNegative, requirePositive } from "../util/validate";
import { batchNormBackward, batchNormForward, freshBatchNorm, type BatchNormState } from "./batchnorm";
import { chunkSamples, col2imAdd, convForwardInto, DEFAULT_PATCH_BUDGET, FRESH, im2col, maxPool2, maxPool2Backward, nchwToNhwc, nhwcToNchw, type Buffers, type ConvGeometry } from "./conv-kernels";
import { jsMatMul, matmulTransposedA, matmulTransposedB, type MatMulBackend } from "./matmul";
import { NETWORK_DEFAULTS, type BnMode, type Gradients, type Workspace } from "./network";
import type { WeightPathConfig } from "./quantizers";
import { validateProgrammingErrorWrites } from "./programming-error";

// ---------------------------------------------------------------------------------------------------------
// Layer list and configuration
// ---------------------------------------------------------------------------------------------------------

/**
 * One entry of a layer list. Only `kind` and the output size are required; the optional `in…` fields
 * declare the shape the layer expects (vgg7.ts's `VggLayer` carries them) and are checked against the
 * shape that actually reaches the layer.
 */
export type ConvLayerSpec =
  | {
      kind: "conv";
      /** Output channels C_out ≥ 1 (the number of filters). */
      outChannels: number;
      /** Odd kernel side k (k×k filters), e.g. 3. */
      kernel: number;
      /** Zero padding p on every side (pixels); the output side is H + 2p − k + 1 (stride 1). */
      padding: number;
      inChannels?: number;
      inSize?: number;
      outSize?: number;
    }
  | {
      kind: "maxpool";
      /** Pool side and stride; only 2 (2×2, stride 2) is supported. */
      size?: number;
      channels?: number;
      inSize?: number;
      outSize?: number;
    }
  | {
      kind: "linear";
      /** Output features ≥ 1. */
      outFeatures: number;
      inFeatures?: number;
    };

export interface ConvNetworkConfig extends WeightPathConfig {
  /** Input channels C (CIFAR-10: 3, MNIST-like: 1). */
  inputChannels: number;
  /** Input height H and width W in pixels. */
  inputHeight: number;
  inputWidth: number;
  /** The layers, first to last; the last must be `linear`. */
  layers: ConvLayerSpec[];
  /** Number of tasks, each with its own BatchNorm state. */
  tasks: number;
  /** Hidden weights start as U(−initScale, initScale). Laborieux et al.: 0.05 (public model, as network.ts). */
  initScale: number;
  /** BatchNorm ε added to the variance. PyTorch default 1e-5 (assumed, as network.ts). */
  bnEps: number;
  /** Running-statistics momentum (only for `bnMode: "running"` evaluation). PyTorch default 0.1. */
  bnMomentum: number;
}

/** The defaults of network.ts (same provenance). */
export const CONV_NETWORK_DEFAULTS = NETWORK_DEFAULTS;

/** A weight layer with everything after it up to the activation: the unit of hidden weights and BatchNorm. */
export type ConvBlock =
  | {
      kind: "conv";
      /** Position of the conv entry in the layer list. */
      index: number;
      inChannels: number;
      inHeight: number;
      inWidth: number;
      outChannels: number;
      kernel: number;
      padding: number;
      /** Convolution output side (before the pool). */
      convHeight: number;
      convWidth: number;
      /** A 2×2 max-pool follows the convolution (before BatchNorm). */
      pool: boolean;
      /** Block output side (after the pool, if any). */
      outHeight: number;
      outWidth: number;
    }
  | { kind: "linear"; index: number; inFeatures: number; outFeatures: number };

/** Hidden-weight count of a block. */
export function blockWeightCount(b: ConvBlock): number {
  return b.kind === "conv" ? b.kernel * b.kernel * b.inChannels * b.outChannels : b.inFeatures * b.outFeatures;
}

/** Output features (channels) of a block, the BatchNorm width. */
export function blockFeatures(b: ConvBlock): number {
  return b.kind === "conv" ? b.outChannels : b.outFeatures;
}

/** Rows of a block's output matrix per sample (H_out·W_out for conv blocks, 1 for linear ones). */
export function blockRowsPerSample(b: ConvBlock): number {
  return b.kind === "conv" ? b.outHeight * b.outWidth : 1;
}

/** "C×H×W", a feature-map shape in error messages. */
export const shape3 = (c: number, h: number, w: number) => `${c}×${h}×${w}`;

/**
 * Resolves a layer list against an input shape into blocks, checking every field. Errors are RangeErrors
 * naming the field (`layers[i].outChannels`, …) and, for shape mismatches, both shapes.
 */
export function planConvNetwork(input: { inputChannels: number; inputHeight: number; inputWidth: number }, layers: readonly ConvLayerSpec[]): ConvBlock[] {
  requireInteger("inputChannels", input.inputChannels, 1);
  requireInteger("inputHeight", input.inputHeight, 1);
  requireInteger("inputWidth", input.inputWidth, 1);
  if (!Array.isArray(layers) || layers.length === 0) throw new RangeError(`layers must list at least one layer, got ${JSON.stringify(layers)}`);
  let c = input.inputChannels;
  let h = input.inputHeight;
  let w = input.inputWidth;
  let flat = false; // a linear layer was seen: features, no spatial map
  let features = 0;
  const blocks: ConvBlock[] = [];
  layers.forEach((l, i) => {
    const f = `layers[${i}]`;
    if (l === null || typeof l !== "object") throw new RangeError(`${f} must be a layer object, got ${String(l)}`);
    if (l.kind === "conv") {
      requireInteger(`${f}.outChannels`, l.outChannels, 1);
      requireInteger(`${f}.kernel`, l.kernel, 1);
      if (l.kernel % 2 !== 1) throw new RangeError(`${f}.kernel must be odd, got ${l.kernel}`);
      requireInteger(`${f}.padding`, l.padding, 0);
      if (flat) throw new RangeError(`${f} is a conv layer after a linear layer (the input is then ${features} features, not a feature map)`);
      if (l.inChannels !== undefined && l.inChannels !== c) throw new RangeError(`${f}.inChannels is ${l.inChannels} (declared input ${shape3(l.inChannels, l.inSize ?? h, l.inSize ?? w)}) but the layer receives ${shape3(c, h, w)}`);
      if (l.inSize !== undefined && (l.inSize !== h || l.inSize !== w)) throw new RangeError(`${f}.inSize is ${l.inSize} (declared input ${shape3(l.inChannels ?? c, l.inSize, l.inSize)}) but the layer receives ${shape3(c, h, w)}`);
      const ho = h + 2 * l.padding - l.kernel + 1;
      const wo = w + 2 * l.padding - l.kernel + 1;
      if (ho < 1 || wo < 1) throw new RangeError(`${f}: a ${l.kernel}×${l.kernel} kernel with padding ${l.padding} does not fit the input ${shape3(c, h, w)}`);
      if (l.outSize !== undefined && (l.outSize !== ho || l.outSize !== wo)) throw new RangeError(`${f}.outSize is ${l.outSize} but a ${l.kernel}×${l.kernel} kernel with padding ${l.padding} maps ${shape3(c, h, w)} to ${shape3(l.outChannels, ho, wo)}`);
      blocks.push({ kind: "conv", index: i, inChannels: c, inHeight: h, inWidth: w, outChannels: l.outChannels, kernel: l.kernel, padding: l.padding, convHeight: ho, convWidth: wo, pool: false, outHeight: ho, outWidth: wo });
      c = l.outChannels;
      h = ho;
      w = wo;
    } else if (l.kind === "maxpool") {
      if (l.size !== undefined && l.size !== 2) throw new RangeError(`${f}.size must be 2 (2×2 max-pool, stride 2), got ${l.size}`);
      const prev = blocks[blocks.length - 1];
      if (!prev || prev.kind !== "conv" || layers[i - 1].kind !== "conv") throw new RangeError(`${f}: a maxpool must directly follow a conv layer (it sits between the conv and its BatchNorm)`);
      if (l.channels !== undefined && l.channels !== c) throw new RangeError(`${f}.channels is ${l.channels} but the layer receives ${shape3(c, h, w)}`);
      if (l.inSize !== undefined && (l.inSize !== h || l.inSize !== w)) throw new RangeError(`${f}.inSize is ${l.inSize} (declared input ${shape3(l.channels ?? c, l.inSize, l.inSize)}) but the layer receives ${shape3(c, h, w)}`);
      if (h % 2 !== 0 || w % 2 !== 0) throw new RangeError(`${f} (2×2 max-pool, stride 2) needs an even height and width, but the layer receives ${shape3(c, h, w)} (output would be ${c}×${h / 2}×${w / 2})`);
      if (l.outSize !== undefined && (l.outSize !== h / 2 || l.outSize !== w / 2)) throw new RangeError(`${f}.outSize is ${l.outSize} but the pool maps ${shape3(c, h, w)} to ${shape3(c, h / 2, w / 2)}`);
      h /= 2;
      w /= 2;
      blocks[blocks.length - 1] = { ...prev, pool: true, outHeight: h, outWidth: w };
    } else if (l.kind === "linear") {
      requireInteger(`${f}.outFeatures`, l.outFeatures, 1);
      const inF = flat ? features : c * h * w;
      if (l.inFeatures !== undefined && l.inFeatures !== inF) throw new RangeError(`${f}.inFeatures is ${l.inFeatures} but the layer receives ${flat ? `${inF} features` : `a ${shape3(c, h, w)} map (${inF} features flattened)`}`);
      blocks.push({ kind: "linear", index: i, inFeatures: inF, outFeatures: l.outFeatures });
      flat = true;
      features = l.outFeatures;
    } else {
      throw new RangeError(`${f}.kind must be "conv", "maxpool" or "linear", got ${JSON.stringify((l as { kind: unknown }).kind)}`);
    }
  });
  if (layers[layers.length - 1].kind !== "linear") throw new RangeError(`layers[${layers.length - 1}] must be a linear layer (the last layer feeds the loss), got ${layers[layers.length - 1].kind}`);
  return blocks;
}

export interface BinaryConvNetwork {
  readonly config: Readonly<ConvNetworkConfig>;
  /** The resolved blocks (one per conv/linear layer). */
  readonly blocks: readonly ConvBlock[];
  /** Hidden weights W_h per block (layouts in the module comment). */
  hidden: Float32Array[];
  /** bn[task][block]. */
  bn: BatchNormState[][];
}

/** Input features per sample: C·H·W. */
export function convInputDim(net: { config: Pick<ConvNetworkConfig, "inputChannels" | "inputHeight" | "inputWidth"> }): number {
  return net.config.inputChannels * net.config.inputHeight * net.config.inputWidth;
}

/** Outputs of the last layer. */
export function convOutputs(net: BinaryConvNetwork): number {
  return blockFeatures(net.blocks[net.blocks.length - 1]);
}

/**
 * A new network with W_h ~ U(−initScale, initScale) (from `rng.fork("init-weights")`, block by block) and
 * fresh BatchNorm (γ = 1, β = 0, running mean 0, variance 1) per task.
 */
export function createConvNetwork(
  config: Partial<ConvNetworkConfig> & Pick<ConvNetworkConfig, "inputChannels" | "inputHeight" | "inputWidth" | "layers" | "transfer">,
  rng: Rng,
  opts: { allocate?: (n: number) => Float32Array } = {},
): BinaryConvNetwork {
  const cfg: ConvNetworkConfig = { ...CONV_NETWORK_DEFAULTS, ...config } as ConvNetworkConfig;
  requireInteger("tasks", cfg.tasks, 1);
  requirePositive("initScale", cfg.initScale);
  requirePositive("hiddenBound", cfg.hiddenBound);
  requireNonNegative("programmingNoiseRel", cfg.programmingNoiseRel);
  validateProgrammingErrorWrites(cfg.programmingErrorWrites);
  requirePositive("bnEps", cfg.bnEps);
  requireInRange("bnMomentum", cfg.bnMomentum, 0, 1); // running ← (1 − m)·running + m·batch
  if (cfg.hiddenBits !== null) requireInteger("hiddenBits", cfg.hiddenBits, 1);
  const blocks = planConvNetwork(cfg, cfg.layers);
  const wr = rng.fork("init-weights");
  const hidden = blocks.map((b) => {
    const n = blockWeightCount(b);
    const w = opts.allocate ? opts.allocate(n) : new Float32Array(n);
    for (let i = 0; i < n; i++) w[i] = wr.uniformIn(-cfg.initScale, cfg.initScale);
    return w;
  });
  const bn = Array.from({ length: cfg.tasks }, () => blocks.map((b) => freshBatchNorm(blockFeatures(b))));
  const layers = cfg.layers.map((l) => Object.freeze({ ...l }));
  return { config: Object.freeze({ ...cfg, layers }), blocks: Object.freeze(blocks.map((b) => Object.freeze(b))), hidden, bn };
}

// ---------------------------------------------------------------------------------------------------------
// Forward and backward
// ---------------------------------------------------------------------------------------------------------

/** What the forward pass keeps per block for the backward pass. */
export interface ConvLayerCache {
  /** The block's input: NHWC (batch·H·W) × C for conv blocks, batch × features for linear ones. */
  input: Float32Array;
  /** For a pooled conv block: index into the conv output of each pooled element's maximum. */
  argmax: Int32Array | null;
  xhat: Float32Array;
  invStd: Float32Array;
  /** BatchNorm output y (pre-activation of the sign; the logits in the last block). */
  y: Float32Array;
}

export interface ConvForwardResult {
  caches: ConvLayerCache[];
  /** Last-block BatchNorm output (batch × outputs). */
  logits: Float32Array;
  /** False when some BatchNorm batch mean (or γ, β) is non-finite (training mode). */
  finite: boolean;
}

export interface ConvForwardOptions {
  training: boolean;
  bnMode?: BnMode;
  backend?: MatMulBackend;
  workspace?: Workspace;
  /** Max patch-matrix elements per product (default {@link DEFAULT_PATCH_BUDGET}). */
  patchBudget?: number;
  /**
   * Test only: "hardtanh" replaces sign(y) by clip(y, −1, 1) in the forward pass. The backward pass is the
   * same for both (the masked straight-through gradient is hardtanh's derivative), so with it the
   * backward pass is the exact gradient and can be checked by finite differences.
   */
  activation?: "sign" | "hardtanh";
}

function checkWeights(net: BinaryConvNetwork, weights: Float32Array[]): void {
  if (weights.length !== net.blocks.length) throw new RangeError(`weights lists ${weights.length} tensors, the network has ${net.blocks.length} conv/linear layers`);
  net.blocks.forEach((b, l) => {
    const n = blockWeightCount(b);
    if (weights[l].length !== n) throw new RangeError(`weights[${l}] has ${weights[l].length} elements, layer ${b.index} (${b.kind}) has ${n}`);
  });
}

/**
 * Forward pass on a batch (batch × C × H × W, channel-major) with the given inference weights. `training`
 * uses batch statistics and updates the running ones; otherwise `bnMode` chooses (default "batch").
 */
export function convForward(net: BinaryConvNetwork, weights: Float32Array[], x: Float32Array, batch: number, task: number, opts: ConvForwardOptions): ConvForwardResult {
  const { inputChannels: c0, inputHeight: h0, inputWidth: w0 } = net.config;
  const dim = c0 * h0 * w0;
  requireInteger("batch", batch, 1);
  if (x.length !== batch * dim) throw new RangeError(`input batch has ${x.length} values (${batch}×${x.length / batch} per sample), the network's first layer expects ${batch}×${shape3(c0, h0, w0)} = ${batch}×${dim}`);
  if (!(Number.isInteger(task) && task >= 0 && task < net.bn.length)) throw new RangeError(`task must be in [0, ${net.bn.length - 1}], got ${task}`);
  checkWeights(net, weights);
  const backend = opts.backend ?? jsMatMul;
  const ws: Buffers = opts.workspace ?? FRESH;
  const budget = opts.patchBudget ?? DEFAULT_PATCH_BUDGET;
  requirePositive("patchBudget", budget);
  const useBatchStats = opts.training || (opts.bnMode ?? "batch") === "batch";
  const bnOpts = { training: opts.training, useBatchStats, eps: net.config.bnEps, momentum: net.config.bnMomentum };
  const hardtanh = opts.activation === "hardtanh";
  const caches: ConvLayerCache[] = [];
  let finite = true;
  let input = nchwToNhwc(x, batch, c0, h0, w0, ws.f32("input", batch * dim));
  const L = net.blocks.length;
  for (let l = 0; l < L; l++) {
    const blk = net.blocks[l];
    let z: Float32Array;
    let argmax: Int32Array | null = null;
    if (blk.kind === "conv") {
      const g: ConvGeometry = { h: blk.inHeight, w: blk.inWidth, c: blk.inChannels, k: blk.kernel, pad: blk.padding, ho: blk.convHeight, wo: blk.convWidth };
      const zc = ws.f32(`z${l}`, batch * blk.convHeight * blk.convWidth * blk.outChannels);
      convForwardInto(input, batch, g, weights[l], blk.outChannels, backend, zc, ws, `conv${l}`, budget);
      if (blk.pool) {
        const n = batch * blk.outHeight * blk.outWidth * blk.outChannels;
        const am = new Int32Array(n);
        z = maxPool2(zc, batch, blk.convHeight, blk.convWidth, blk.outChannels, ws.f32(`pooled${l}`, n), am).out;
        argmax = am;
      } else z = zc;
    } else {
      z = backend.matmul(input, weights[l], batch, blk.inFeatures, blk.outFeatures, ws.f32(`z${l}`, batch * blk.outFeatures));
    }
    const feats = blockFeatures(blk);
    const rows = batch * blockRowsPerSample(blk);
    const size = rows * feats;
    const xhat = ws.f32(`xhat${l}`, size);
    const y = ws.f32(`y${l}`, size);
    const invStd = ws.f32(`invStd${l}`, feats);
    const act = l < L - 1 ? ws.f32(`act${l}`, size) : null;
    if (!batchNormForward(z, rows, feats, net.bn[task][l], bnOpts, { xhat, y, invStd, sign: act && !hardtanh ? act : undefined })) finite = false;
    caches.push({ input, argmax, xhat, invStd, y });
    if (act) {
      if (hardtanh) for (let i = 0; i < size; i++) act[i] = y[i] > 1 ? 1 : y[i] < -1 ? -1 : y[i];
      input = act;
    }
  }
  return { caches, logits: caches[L - 1].y, finite };
}

export interface ConvGradients extends Gradients {
  /** dLoss/dx of the network input (batch × C × H × W, channel-major), when asked for. */
  input?: Float32Array;
}

/**
 * Backward pass from `gradLogits` = dLoss/dy of the last block. Per block: BatchNorm backward (batch
 * statistics), max-pool backward (to the argmax only), then dW = Xᵀ·dZ (linear) or Σ_chunks Pᵀ·dZ (conv)
 * and dX = dZ·Wᵀ (linear) or col2im(dZ·Wᵀ) (conv), masked by the straight-through estimator of the
 * previous block's sign: dy_{l−1} = dX·[|y_{l−1}| ≤ 1]. `inputGradient`: also return dLoss/dx of the input.
 */
export function convBackward(
  net: BinaryConvNetwork,
  weights: Float32Array[],
  fwd: ConvForwardResult,
  gradLogits: Float32Array,
  batch: number,
  task: number,
  opts: { backend?: MatMulBackend; workspace?: Workspace; patchBudget?: number; inputGradient?: boolean } = {},
): ConvGradients {
  const backend = opts.backend ?? jsMatMul;
  const ws: Buffers = opts.workspace ?? FRESH;
  const budget = opts.patchBudget ?? DEFAULT_PATCH_BUDGET;
  const L = net.blocks.length;
  checkWeights(net, weights);
  if (gradLogits.length !== fwd.logits.length) throw new RangeError(`gradLogits has ${gradLogits.length} elements, the logits have ${fwd.logits.length}`);
  const out: ConvGradients = { weights: new Array(L), gamma: new Array(L), beta: new Array(L) };
  let dy = gradLogits;
  for (let l = L - 1; l >= 0; l--) {
    const blk = net.blocks[l];
    const c = fwd.caches[l];
    const feats = blockFeatures(blk);
    const rows = batch * blockRowsPerSample(blk);
    const size = rows * feats;
    const dz = ws.f32(`dz${l}`, size);
    const dGamma = ws.f32(`dGamma${l}`, feats);
    const dBeta = ws.f32(`dBeta${l}`, feats);
    batchNormBackward(dy, c.xhat, c.invStd, net.bn[task][l].gamma, rows, feats, { dz, dGamma, dBeta });
    out.gamma[l] = dGamma;
    out.beta[l] = dBeta;
    const wantDx = l > 0 || opts.inputGradient === true;
    let dx: Float32Array | null = null;
    if (blk.kind === "linear") {
      out.weights[l] = matmulTransposedA(backend, c.input, dz, blk.inFeatures, batch, blk.outFeatures, ws.f32(`dW${l}`, blk.inFeatures * blk.outFeatures), ws.f32(`inputT${l}`, batch * blk.inFeatures));
      if (wantDx) dx = matmulTransposedB(backend, dz, weights[l], batch, blk.outFeatures, blk.inFeatures, ws.f32(`dx${l}`, batch * blk.inFeatures), backend.matmulTransB ? undefined : ws.f32(`wT${l}`, blk.inFeatures * blk.outFeatures));
    } else {
      const cOut = blk.outChannels;
      const convRowsPerSample = blk.convHeight * blk.convWidth;
      let dzc = dz;
      if (blk.pool) dzc = maxPool2Backward(dz, c.argmax as Int32Array, batch * convRowsPerSample * cOut, ws.f32(`dzConv${l}`, batch * convRowsPerSample * cOut));
      const g: ConvGeometry = { h: blk.inHeight, w: blk.inWidth, c: blk.inChannels, k: blk.kernel, pad: blk.padding, ho: blk.convHeight, wo: blk.convWidth };
      const K = g.k * g.k * g.c;
      const chunk = chunkSamples(g, batch, budget);
      const maxRows = chunk * convRowsPerSample;
      const patches = ws.f32(`conv${l}/patches`, maxRows * K);
      const patchesT = backend.matmulTransA ? undefined : ws.f32(`conv${l}/patchesT`, maxRows * K);
      const dCols = wantDx ? ws.f32(`conv${l}/dCols`, maxRows * K) : null;
      const wT = wantDx && !backend.matmulTransB ? ws.f32(`wT${l}`, K * cOut) : undefined;
      const dW = ws.f32(`dW${l}`, K * cOut);
      const dWPart = batch > chunk ? ws.f32(`dWPart${l}`, K * cOut) : null;
      if (wantDx) dx = ws.f32(`dx${l}`, batch * blk.inHeight * blk.inWidth * blk.inChannels).fill(0);
      for (let b0 = 0; b0 < batch; b0 += chunk) {
        const b1 = Math.min(batch, b0 + chunk);
        const r = (b1 - b0) * convRowsPerSample;
        const p = patches.subarray(0, r * K);
        im2col(c.input, b0, b1, g, p);
        const dZc = dzc.subarray(b0 * convRowsPerSample * cOut, b1 * convRowsPerSample * cOut);
        if (b0 === 0) matmulTransposedA(backend, p, dZc, K, r, cOut, dW, patchesT?.subarray(0, r * K));
        else {
          const part = matmulTransposedA(backend, p, dZc, K, r, cOut, dWPart as Float32Array, patchesT?.subarray(0, r * K));
          for (let i = 0; i < dW.length; i++) dW[i] += part[i];
        }
        if (dx && dCols) {
          const cols = matmulTransposedB(backend, dZc, weights[l], r, cOut, K, dCols.subarray(0, r * K), wT);
          col2imAdd(cols, b0, b1, g, dx);
        }
      }
      out.weights[l] = dW;
    }
    if (l > 0) {
      const d = dx as Float32Array;
      const prevY = fwd.caches[l - 1].y;
      for (let i = 0; i < d.length; i++) if (prevY[i] > 1 || prevY[i] < -1) d[i] = 0;
      dy = d;
    } else if (dx) {
      const { inputChannels: c0, inputHeight: h0, inputWidth: w0 } = net.config;
      out.input = nhwcToNchw(dx, batch, c0, h0, w0);
    }
  }
  return out;
}
