/**
 * The conv-network presets by name (`convArchitecturePresets()`): the paper's binary VGG-7 (vgg7.ts) as a layer
 * list, and two VGG-style CNNs for 1×28×28 inputs that stand in for it when CIFAR-10 is absent; and
 * `convArchitectureCost`, the weights and multiply-accumulates per sample of every weight layer.
 */
import { blockWeightCount, planConvNetwork, type ConvLayerSpec } from "./conv-network";
import { VGG7_PAPER, vgg7Layers, type Vgg7Spec } from "./vgg7";

/** Input shape and layer list of a conv network (what `createConvNetwork` of conv-network.ts needs besides the weight path). */
export interface ConvArchitecture {
  inputChannels: number;
  inputHeight: number;
  inputWidth: number;
  layers: ConvLayerSpec[];
  provenance: Record<string, string>;
}

/**
 * The binary VGG-7 of vgg7.ts as a layer list (its declared shapes are kept and checked): 2×(128-C3) → MP2 →
 * 2×(256-C3) → MP2 → 2×(512-C3) → MP2 → 1024-FC → 10-FC on 3×32×32 for the paper's spec.
 */
export function vgg7Architecture(spec: Vgg7Spec = VGG7_PAPER): ConvArchitecture {
  const layers: ConvLayerSpec[] = vgg7Layers(spec).map((l) => ({ ...l }));
  const provenance = { ...((spec as { provenance?: Record<string, string> }).provenance ?? {}), pooling: "public model: max-pool after every pair of convolutions (Li & Liu), placed between the conv and its BatchNorm as in Laborieux et al.'s BNN" };
  return { inputChannels: spec.inputChannels, inputHeight: spec.inputSize, inputWidth: spec.inputSize, layers, provenance };
}

/**
 * A VGG-style CNN for 1×28×28 inputs (MNIST-like): two stages, each `convsPerStage` 3×3 convolutions (padding 1)
 * and a 2×2 max-pool (28 → 14 → 7), then a hidden FC layer of `fc` units and 10 outputs.
 */
function vggStyle28(convsPerStage: number, channels: readonly [number, number], fc: number, architecture: string): Readonly<ConvArchitecture> {
  const stage = (c: number): ConvLayerSpec[] => [...Array.from({ length: convsPerStage }, () => ({ kind: "conv" as const, outChannels: c, kernel: 3, padding: 1 })), { kind: "maxpool", size: 2 }];
  const layers: ConvLayerSpec[] = [...stage(channels[0]), ...stage(channels[1]), { kind: "linear", outFeatures: fc }, { kind: "linear", outFeatures: 10 }];
  return Object.freeze({
    inputChannels: 1,
    inputHeight: 28,
    inputWidth: 28,
    layers: Object.freeze(layers) as unknown as ConvLayerSpec[],
    provenance: Object.freeze({
      "inputChannels, inputHeight, inputWidth": "assumed (the substitute task's data): 1×28×28 grey-scale images (Fashion-MNIST and the other 28×28 tasks of src/nn/datasets/)",
      layers: architecture,
      padding: "assumed: 1 (keeps 28 → 28, pools give 14 and 7)",
      pooling: "public model: max-pool between the conv and its BatchNorm, as in Laborieux et al.'s BNN",
    }),
  });
}

/** 2×(32-C3) → MP2 → 2×(64-C3) → MP2 → 256-FC → 10-FC (64·7·7 = 3136 features into the FC layer). */
export const SMALL_CNN_28 = vggStyle28(2, [32, 64], 256,
  "assumed: a reduced VGG-style stand-in when CIFAR-10 is absent — the VGG-7 pattern (conv pairs, 2×2 max-pools, one hidden FC layer; Li & Liu, public model) at a quarter of the widths (32/64 filters, 256-FC) for 1×28×28 inputs, so it trains on one core");

/**
 * The stream-learning substitute for VGG-7 when CIFAR-10 is absent (notebook 07): 16-C3 → MP2 → 32-C3 → MP2 →
 * 128-FC → 10-FC (32·7·7 = 1568 features). About 16× fewer multiply-accumulates than {@link SMALL_CNN_28}
 * (about 8× less time per step): a batch-100 training step takes ~0.2 s on one core (tfjs-wasm), so the
 * 25-subset CNN protocol fits the quick mode, and a full-mode run (10,000 steps) takes 25–40 min.
 */
export const COMPACT_CNN_28 = vggStyle28(1, [16, 32], 128,
  "assumed: the VGG-7 pattern (3×3 convolutions, 2×2 max-pools, one hidden FC layer; Li & Liu, public model) cut to one convolution per stage and 16/32 filters, 128-FC, for 1×28×28 inputs, so the 25-subset stream protocol fits quick mode (a full-mode run takes 25–40 min)");

/** Weights and forward multiply-accumulates per sample of every weight layer of an architecture. */
export function convArchitectureCost(arch: Readonly<ConvArchitecture>): { layer: string; weights: number; macs: number }[] {
  return planConvNetwork(arch, arch.layers).map((b) => {
    const weights = blockWeightCount(b);
    if (b.kind === "linear") return { layer: `linear ${b.inFeatures}→${b.outFeatures}`, weights, macs: weights };
    const pool = b.pool ? ", max-pool 2" : "";
    return { layer: `conv ${b.inChannels}→${b.outChannels}, ${b.kernel}×${b.kernel} on ${b.inHeight}×${b.inWidth}${pool}`, weights, macs: weights * b.convHeight * b.convWidth };
  });
}

/** Names of the architecture presets (JSON-serialisable, so a run description can name its network). */
export type ConvArchitectureName = "vgg7-paper" | "small-cnn-28" | "compact-cnn-28";

/** Every architecture preset by name (tests iterate over them). */
export function convArchitecturePresets(): Record<ConvArchitectureName, Readonly<ConvArchitecture>> {
  return { "vgg7-paper": vgg7Architecture(VGG7_PAPER), "small-cnn-28": SMALL_CNN_28, "compact-cnn-28": COMPACT_CNN_28 };
}
