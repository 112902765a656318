/**
 * CIFAR-10 from user-supplied files (not installable here; Yang Fig 7f's data). The "binary version" from the
 * dataset's home page, extracted from its archive, is looked for uncompressed (a `.bin.gz` is not read) in
 *   data/cifar-10/cifar-10-batches-bin/{data_batch_1..5,test_batch}.bin   or   data/cifar-10/{…}.bin
 * Each record: 1 label byte (0–9) then 3072 pixel bytes: the 1024 red, 1024 green, 1024 blue values of a
 * 32×32 image, row-major. Pixels are scaled to [0, 1] and kept channel-major (C×H×W).
 */
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../../util/project-root";
import { makeDataset, type Dataset } from "./dataset";

const RECORD = 1 + 3072;

/** Parse CIFAR-10 binary records (label byte + 3072 pixel bytes each). */
export function parseCifarBatch(buf: Buffer, file: string): { x: Float32Array; y: Int32Array } {
  if (buf.length === 0 || buf.length % RECORD !== 0) throw new Error(`${file}: ${buf.length} bytes is not a whole number of CIFAR-10 records (${RECORD} bytes each)`);
  const n = buf.length / RECORD;
  const x = new Float32Array(n * 3072);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * RECORD;
    const label = buf[o];
    if (label > 9) throw new Error(`${file}: record ${i} has label ${label}, CIFAR-10 labels are 0–9`);
    y[i] = label;
    for (let j = 0; j < 3072; j++) x[i * 3072 + j] = buf[o + 1 + j] / 255;
  }
  return { x, y };
}

export const CIFAR_TRAIN_FILES = Object.freeze(["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"]);
export const CIFAR_TEST_FILES = Object.freeze(["test_batch.bin"]);

/** The folder holding the CIFAR-10 binary batches, or null (with the places looked at). */
export function findCifar10(): { dir: string | null; lookedFor: string[] } {
  const root = projectRoot();
  const candidates = [path.join(root, "data", "cifar-10", "cifar-10-batches-bin"), path.join(root, "data", "cifar-10")];
  for (const d of candidates) if ([...CIFAR_TRAIN_FILES, ...CIFAR_TEST_FILES].every((f) => fs.existsSync(path.join(d, f)))) return { dir: d, lookedFor: candidates };
  return { dir: null, lookedFor: candidates.map((d) => path.join(path.relative(root, d), "{data_batch_1..5,test_batch}.bin")) };
}

/** Load user-supplied CIFAR-10 (null when absent). Samples are 3×32×32 channel-major, dim 3072. */
export function loadCifar10(split: "train" | "test", limit?: number): Dataset | null {
  const { dir } = findCifar10();
  if (!dir) return null;
  const files = split === "train" ? CIFAR_TRAIN_FILES : CIFAR_TEST_FILES;
  const xs: Float32Array[] = [];
  const ys: Int32Array[] = [];
  let n = 0;
  for (const f of files) {
    if (limit !== undefined && n >= limit) break;
    const file = path.join(dir, f);
    const b = parseCifarBatch(fs.readFileSync(file), file);
    xs.push(b.x);
    ys.push(b.y);
    n += b.y.length;
  }
  const count = limit === undefined ? n : Math.min(limit, n);
  const x = new Float32Array(count * 3072);
  const y = new Int32Array(count);
  let k = 0;
  for (let i = 0; i < xs.length && k < count; i++) {
    const take = Math.min(ys[i].length, count - k);
    x.set(xs[i].subarray(0, take * 3072), k * 3072);
    y.set(ys[i].subarray(0, take), k);
    k += take;
  }
  return makeDataset(`CIFAR-10-${split}`, x, y, 3072, 10);
}
