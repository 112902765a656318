/**
 * The binary VGG-7 of Yang §4.8 / Fig 7f (CIFAR-10 stream learning).
 *
 * Architecture. Paper text (§4.8): "binary VGG-7 with six convolution layers of 128-128-256-256-512-512
 * filters and kernel sizes of 3", lr 0.0005; stream protocol §4.10: 25 subsets, 20 epochs each, m = 10.
 * The classifier head is not stated; we take VGG-7 as published by Li & Liu ("Ternary weight networks",
 * 2016, public model): 2×(128-C3) → MP2 → 2×(256-C3) → MP2 → 2×(512-C3) → MP2 → 1024-FC → 10-FC, each
 * conv/FC followed by BatchNorm and (except the last) the sign activation; padding 1 (assumed, keeps the
 * 32×32 → 16 → 8 → 4 spatial sizes).
 *
 * Status: the network trains through conv-network.ts (`vgg7Architecture(VGG7_PAPER)` of conv-architectures.ts
 * → `createConvNetwork`; max-pool sits between each pair's second convolution and its BatchNorm). Notebook 07
 * trains it in full mode when the CIFAR-10 files are present; otherwise, and in quick mode, it runs the
 * documented compact-CNN substitute (src/experiments/stream-learning.ts) and says so. Time: a batch-100 step took
 * about 30 s on one core of the machine this was built on (a one-off timing, not a benchmark kept in the
 * repository).
 * Convolutional runs go one per core on single-thread accelerators, two side by side
 * (src/runs/parallel-runs.ts), so the stream protocol's four runs (40,000 steps) take days. The same
 * statement is in data/DATASETS.md.
 *
 * The CIFAR-10 loader is src/nn/datasets/cifar10.ts.
 */

export type VggLayer =
  | { kind: "conv"; inChannels: number; outChannels: number; kernel: number; padding: number; inSize: number; outSize: number }
  | { kind: "maxpool"; size: number; channels: number; inSize: number; outSize: number }
  | { kind: "linear"; inFeatures: number; outFeatures: number };

export interface Vgg7Spec {
  /** Input: channels × side × side (CIFAR-10: 3 × 32 × 32). */
  inputChannels: number;
  inputSize: number;
  /** Paper §4.8: [128, 128, 256, 256, 512, 512]. */
  convFilters: number[];
  /** Paper §4.8: 3. */
  kernel: number;
  /** Li & Liu's VGG-7 head: 1024 (public model). */
  hiddenFeatures: number;
  classes: number;
}

export const VGG7_PAPER: Readonly<Vgg7Spec & { provenance: Record<string, string> }> = Object.freeze({
  inputChannels: 3,
  inputSize: 32,
  convFilters: Object.freeze([128, 128, 256, 256, 512, 512]) as unknown as number[],
  kernel: 3,
  hiddenFeatures: 1024,
  classes: 10,
  provenance: Object.freeze({
    "inputChannels, inputSize, classes": "paper text §4.8: the CNN task is CIFAR-10, 3×32×32 colour images in 10 classes",
    convFilters: "paper text §4.8: six convolution layers of 128-128-256-256-512-512 filters",
    kernel: "paper text §4.8: kernel sizes of 3",
    hiddenFeatures: "public model: VGG-7 of Li & Liu, Ternary weight networks (2016): 1024-FC head",
    pooling: "public model: max-pool 2 after every pair of convolutions (Li & Liu)",
    padding: "assumed: 1, so each pair keeps the spatial size and the pools halve it (32 → 16 → 8 → 4)",
  }),
});

/** The layer list of a VGG-7 spec (convolution pairs each followed by a 2×2 max-pool, then two linear layers). */
export function vgg7Layers(spec: Vgg7Spec = VGG7_PAPER): VggLayer[] {
  if (spec.convFilters.length % 2 !== 0) throw new RangeError(`convFilters must come in pairs (one pool per pair), got ${spec.convFilters.length} layers`);
  const layers: VggLayer[] = [];
  let ch = spec.inputChannels;
  let size = spec.inputSize;
  const pad = (spec.kernel - 1) / 2;
  spec.convFilters.forEach((f, i) => {
    layers.push({ kind: "conv", inChannels: ch, outChannels: f, kernel: spec.kernel, padding: pad, inSize: size, outSize: size });
    ch = f;
    if (i % 2 === 1) {
      if (size % 2 !== 0) throw new RangeError(`max-pool needs an even feature-map side, got ${size} after conv layer ${i}`);
      layers.push({ kind: "maxpool", size: 2, channels: ch, inSize: size, outSize: size / 2 });
      size /= 2;
    }
  });
  layers.push({ kind: "linear", inFeatures: ch * size * size, outFeatures: spec.hiddenFeatures });
  layers.push({ kind: "linear", inFeatures: spec.hiddenFeatures, outFeatures: spec.classes });
  return layers;
}
