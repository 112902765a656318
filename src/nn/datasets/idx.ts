/**
 * IDX file loader (the MNIST family's format: big-endian header, magic 0x00000801 for labels and
 * 0x00000803 for images, then the dimensions, then unsigned bytes), gzip-compressed or not.
 *
 * Where the files are found:
 * - Fashion-MNIST from the Debian package: /usr/share/datasets/fashion-mnist/
 *   {train,t10k}-{images-idx3,labels-idx1}-ubyte.gz
 * - User-supplied sets in the project's data/ folder, same names with or without .gz:
 *   data/mnist/, data/kmnist/, data/kannada-mnist/ (Kannada-MNIST ships CSV upstream; convert to IDX).
 *   KMNIST's own files are named {train,t10k}-{images,labels}-idx{3,1}-ubyte.gz; both namings work.
 */
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { projectRoot } from "../../notebook/session";
import { makeDataset, type Dataset } from "./dataset";

const LABEL_MAGIC = 0x00000801;
const IMAGE_MAGIC = 0x00000803;

function readMaybeGz(file: string): Buffer {
  if (!fs.existsSync(file)) throw new Error(`${file}: file not found`);
  const raw = fs.readFileSync(file);
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      return zlib.gunzipSync(raw);
    } catch (e) {
      throw new Error(`${file}: gzip data is corrupt or truncated (${(e as Error).message})`);
    }
  }
  return raw;
}

/** Parse IDX image bytes into pixels scaled to [0, 1]; `file` names the source in errors. */
export function parseIdxImages(buf: Buffer, file: string): { pixels: Float32Array; count: number; rows: number; cols: number } {
  if (buf.length < 16) throw new Error(`${file}: truncated header (${buf.length} bytes, an image file needs 16)`);
  const magic = buf.readUInt32BE(0);
  if (magic !== IMAGE_MAGIC) throw new Error(`${file}: wrong magic number 0x${magic.toString(16).padStart(8, "0")}, expected 0x00000803 (unsigned-byte images, 3 dimensions)`);
  const count = buf.readUInt32BE(4);
  const rows = buf.readUInt32BE(8);
  const cols = buf.readUInt32BE(12);
  const need = 16 + count * rows * cols;
  if (buf.length < need) throw new Error(`${file}: truncated: header announces ${count} images of ${rows}×${cols} (${need} bytes), file has ${buf.length}`);
  const pixels = new Float32Array(count * rows * cols);
  for (let i = 0; i < pixels.length; i++) pixels[i] = buf[16 + i] / 255;
  return { pixels, count, rows, cols };
}

/** Parse IDX label bytes. */
export function parseIdxLabels(buf: Buffer, file: string): Int32Array {
  if (buf.length < 8) throw new Error(`${file}: truncated header (${buf.length} bytes, a label file needs 8)`);
  const magic = buf.readUInt32BE(0);
  if (magic !== LABEL_MAGIC) throw new Error(`${file}: wrong magic number 0x${magic.toString(16).padStart(8, "0")}, expected 0x00000801 (unsigned-byte labels, 1 dimension)`);
  const count = buf.readUInt32BE(4);
  if (buf.length < 8 + count) throw new Error(`${file}: truncated: header announces ${count} labels, file has ${buf.length - 8}`);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) labels[i] = buf[8 + i];
  return labels;
}

/** Load an image file and its label file into a dataset (optionally only the first `limit` samples). */
export function loadIdxPair(name: string, imagesFile: string, labelsFile: string, limit?: number): Dataset {
  const img = parseIdxImages(readMaybeGz(imagesFile), imagesFile);
  const labels = parseIdxLabels(readMaybeGz(labelsFile), labelsFile);
  if (img.count !== labels.length) throw new Error(`${imagesFile} holds ${img.count} images but ${labelsFile} holds ${labels.length} labels`);
  const dim = img.rows * img.cols;
  const n = limit === undefined ? img.count : Math.min(limit, img.count);
  return makeDataset(name, img.pixels.slice(0, n * dim), labels.slice(0, n), dim, 10);
}

export type Split = "train" | "test";

/** Find `<dir>/<stem>` with or without .gz; `stems` are alternative file names. */
function findFile(dir: string, stems: string[]): string | null {
  for (const s of stems) for (const f of [s, `${s}.gz`]) if (fs.existsSync(path.join(dir, f))) return path.join(dir, f);
  return null;
}

function idxNames(split: Split): { images: string[]; labels: string[] } {
  const p = split === "train" ? "train" : "t10k";
  return { images: [`${p}-images-idx3-ubyte`, `${p}-images.idx3-ubyte`], labels: [`${p}-labels-idx1-ubyte`, `${p}-labels.idx1-ubyte`] };
}

/** Load an IDX dataset from a folder holding the standard file names. */
export function loadIdxFolder(name: string, dir: string, split: Split, limit?: number): Dataset {
  const names = idxNames(split);
  const images = findFile(dir, names.images);
  const labels = findFile(dir, names.labels);
  if (!images || !labels) throw new Error(`${dir}: no ${split} IDX files found (looked for ${[...names.images, ...names.labels].join(", ")}, optionally .gz)`);
  return loadIdxPair(name, images, labels, limit);
}

/** Fashion-MNIST from the Debian package's folder. */
export const FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";

export function loadFashionMnist(split: Split, limit?: number): Dataset {
  return loadIdxFolder(`FMNIST-${split}`, FASHION_MNIST_DIR, split, limit);
}

/** User-supplied sets under data/: "mnist", "kmnist", "kannada-mnist". Null when absent. */
export function loadUserIdx(set: "mnist" | "kmnist" | "kannada-mnist", split: Split, limit?: number): Dataset | null {
  const dir = path.join(projectRoot(), "data", set);
  const names = idxNames(split);
  if (!fs.existsSync(dir) || !findFile(dir, names.images)) return null;
  return loadIdxFolder(`${set.toUpperCase()}-${split}`, dir, split, limit);
}
