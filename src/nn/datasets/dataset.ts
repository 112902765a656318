/** A labelled dataset held in memory: `count` samples of `dim` features, row-major. */
export interface Dataset {
  readonly name: string;
  /** Features, count×dim row-major (pixels scaled to [0, 1]; 2-D points as coordinates). */
  readonly x: Float32Array;
  /** Class labels 0 … classes−1. */
  readonly y: Int32Array;
  readonly count: number;
  readonly dim: number;
  readonly classes: number;
}

/**
 * Build a dataset, checking that the arrays agree and that every label lies in 0 … classes−1 (a RangeError
 * names the dataset, the sample index and the label). Without `classes`, it is the largest label + 1.
 */
export function makeDataset(name: string, x: Float32Array, y: Int32Array, dim: number, classes?: number): Dataset {
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`dataset "${name}": dim must be an integer ≥ 1, got ${dim}`);
  if (x.length % dim !== 0) throw new RangeError(`dataset "${name}": ${x.length} feature values do not divide into samples of ${dim}`);
  const count = x.length / dim;
  if (y.length !== count) throw new RangeError(`dataset "${name}": ${count} samples but ${y.length} labels`);
  if (classes !== undefined && (!Number.isInteger(classes) || classes < 1)) throw new RangeError(`dataset "${name}": classes must be an integer ≥ 1, got ${classes}`);
  let maxLabel = -1;
  for (let i = 0; i < y.length; i++) {
    if (y[i] < 0 || !Number.isInteger(y[i])) throw new RangeError(`dataset "${name}": label ${i} is ${y[i]}, labels must be integers ≥ 0`);
    if (classes !== undefined && y[i] >= classes) throw new RangeError(`dataset "${name}": label ${i} is ${y[i]}, outside 0…${classes - 1} (${classes} classes)`);
    if (y[i] > maxLabel) maxLabel = y[i];
  }
  return Object.freeze({ name, x, y, count, dim, classes: classes ?? maxLabel + 1 });
}

/** The first `n` samples (or all, if fewer). */
export function takeFirst(d: Dataset, n: number): Dataset {
  const k = Math.min(n, d.count);
  return makeDataset(d.name, d.x.slice(0, k * d.dim), d.y.slice(0, k), d.dim, d.classes);
}
