/**
 * Small 2-D classification sets for the 2×3×1 networks, drawn from seeded streams. Every set is a
 * mixture of isotropic Gaussian blobs with a class per blob; the construction is ours (the paper shows
 * the sets only as scatter plots, Figs 5h and 6d).
 *
 * - XOR (Fig 5h): blobs at (±1, ±1), class 1 where x1·x2 < 0. Linearly non-separable; a 2×3×1 BNN
 *   solves it with two hidden units on the projection x1 − x2 at different BatchNorm thresholds.
 * - Data-A: a band, blobs along the diagonal: class 1 at the origin (listed twice, so the classes are
 *   balanced 1:1), class 0 at ±(1.2, 1.2). It needs two hidden units on the projection x1 + x2 (two
 *   BatchNorm thresholds). With one class-1 blob (1:2 classes) the single-output network often settled
 *   on "always class 0" (67 %); balancing removes most of that trap in the 2×3×1 network (m = 0:
 *   8/8 quick-mode restarts learn every task when it is shown, 7/8 before) and changes nothing else.
 * - Data-B: two blobs at ±(0.8, −0.8), split by x1 − x2 = 0: it needs a unit on the other projection,
 *   which the network has only if Data-A left one of its three units free.
 * - Data-C: two blobs at (1.6, 1.6) (class 1) and the origin (class 0), split along x1 + x2: it can
 *   reuse a Data-A unit with its own BatchNorm threshold, but its gradients pull every unit towards
 *   x1 + x2, including the one Data-B needs. (The offset 1.6 only fixes the picture: with per-task
 *   BatchNorm on batch statistics a task's decisions are invariant to translating its data, so only the
 *   shape of a set matters; see test/continual-small.test.ts.)
 *
 * Why this construction (design notes, measured with the 2×3×1 metaplastic network of notebook 05):
 * with binary first-layer weights a hidden unit sees ±(x1 + x2) or ±(x1 − x2); sign and threshold are
 * per-task BatchNorm parameters, so what three tasks share is only which diagonal each of the three
 * units uses. Tasks must therefore have diagonal decision boundaries. Sets whose best single boundary
 * is axis-parallel (a wedge or an AND of the two diagonals, e.g. class 1 at (1.5, 0) against blobs at
 * (−1.5, 0), (0, ±1.5)) were tried and rejected: the x2 weights of every unit then sit at W_h ≈ 0
 * (the gradient w.r.t. a binary weight reverses when it flips), so nothing consolidates them and the
 * first task is forgotten even with m = 10. A, B, C together need exactly two units on x1 + x2 and
 * one on x1 − x2; the network has no spare unit.
 * σ = 0.25 for every blob (assumed: classes overlap in well under 1 % of samples, so ~100 % is reachable
 * and a single mistake is visible).
 */
import type { Rng } from "../../util/rng";
import { requireInteger, requirePositive } from "../../util/validate";
import { makeDataset, type Dataset } from "./dataset";

export interface Blob {
  center: [number, number];
  label: number;
}

/** Sample `perBlob` points from each blob N(center, σ²I), interleaved blob by blob. */
export function gaussianBlobs(name: string, blobs: readonly Blob[], perBlob: number, sigma: number, rng: Rng): Dataset {
  requireInteger("perBlob", perBlob, 1);
  requirePositive("sigma", sigma);
  const n = blobs.length * perBlob;
  const x = new Float32Array(2 * n);
  const y = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < perBlob; i++)
    for (const b of blobs) {
      x[2 * k] = rng.gaussian(b.center[0], sigma);
      x[2 * k + 1] = rng.gaussian(b.center[1], sigma);
      y[k] = b.label;
      k++;
    }
  return makeDataset(name, x, y, 2, 2);
}

export type ToyName = "XOR" | "Data-A" | "Data-B" | "Data-C";

export const TOY_BLOBS: Readonly<Record<ToyName, readonly Blob[]>> = Object.freeze({
  XOR: [
    { center: [1, 1], label: 0 },
    { center: [-1, -1], label: 0 },
    { center: [1, -1], label: 1 },
    { center: [-1, 1], label: 1 },
  ],
  "Data-A": [
    { center: [0, 0], label: 1 },
    { center: [0, 0], label: 1 },
    { center: [1.2, 1.2], label: 0 },
    { center: [-1.2, -1.2], label: 0 },
  ],
  "Data-B": [
    { center: [0.8, -0.8], label: 1 },
    { center: [-0.8, 0.8], label: 0 },
  ],
  "Data-C": [
    { center: [1.6, 1.6], label: 1 },
    { center: [0, 0], label: 0 },
  ],
});

export const TOY_SIGMA = 0.25;

/** A toy set with `count` samples (rounded up to a whole number per blob). */
export function toyDataset(name: ToyName, count: number, rng: Rng, sigma = TOY_SIGMA): Dataset {
  requireInteger("count", count, 1);
  const blobs = TOY_BLOBS[name];
  return gaussianBlobs(name, blobs, Math.ceil(count / blobs.length), sigma, rng.fork(name));
}
