/**
 * IDX file loader (the MNIST family's format: big-endian header, magic 0x00000801 for labels and
 * 0x00000803 for images, then the dimensions, then unsigned bytes), gzip-compressed or not.
 *
 * Where the files are found:
 * - Fashion-MNIST from the Debian package: /usr/share/datasets/fashion-mnist/
 *   {train,t10k}-{images-idx3,labels-idx1}-ubyte.gz
 * - User-supplied sets in the project's data/ folder: data/mnist/, data/kmnist/, data/kannada-mnist/
 *   (Kannada-MNIST is not distributed as IDX upstream; converting it is up to the user, see data/DATASETS.md).
 *
 * Accepted file names in a folder (one function, {@link findIdxFile}, resolves them for the loader and for
 * the presence checks of src/nn/task-sequences.ts), for <p> = train or t10k:
 *   images: <p>-images-idx3-ubyte   or  <p>-images.idx3-ubyte   (dash or dot before "idx3")
 *   labels: <p>-labels-idx1-ubyte   or  <p>-labels.idx1-ubyte   (dash or dot before "idx1")
 * each either uncompressed or with ".gz" appended (gzip is detected from the file's first two bytes).
 * When several of these exist, the first in the order dashed, dashed.gz, dotted, dotted.gz is used.
 *
 * Bad input (wrong magic, truncated files, labels outside 0–9, an image size other than the expected
 * 28×28 of the task loaders) throws a RangeError naming the file.
 */
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { projectRoot } from "../../util/project-root";
import { makeDataset, type Dataset } from "./dataset";
import { requireInteger } from "../../util/validate";

const LABEL_MAGIC = 0x00000801;
const IMAGE_MAGIC = 0x00000803;

function readMaybeGz(file: string): Buffer {
  if (!fs.existsSync(file)) throw new RangeError(`${file}: file not found`);
  const raw = fs.readFileSync(file);
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      return zlib.gunzipSync(raw);
    } catch (e) {
      throw new RangeError(`${file}: gzip data is corrupt or truncated (${(e as Error).message})`);
    }
  }
  return raw;
}

/** Parse IDX image bytes into pixels scaled to [0, 1]; `file` names the source in errors. */
export function parseIdxImages(buf: Buffer, file: string): { pixels: Float32Array; count: number; rows: number; cols: number } {
  if (buf.length < 16) throw new RangeError(`${file}: truncated header (${buf.length} bytes, an image file needs 16)`);
  const magic = buf.readUInt32BE(0);
  if (magic !== IMAGE_MAGIC) throw new RangeError(`${file}: wrong magic number 0x${magic.toString(16).padStart(8, "0")}, expected 0x00000803 (unsigned-byte images, 3 dimensions)`);
  const count = buf.readUInt32BE(4);
  const rows = buf.readUInt32BE(8);
  const cols = buf.readUInt32BE(12);
  const need = 16 + count * rows * cols;
  if (buf.length < need) throw new RangeError(`${file}: truncated: header announces ${count} images of ${rows}×${cols} (${need} bytes), file has ${buf.length}`);
  const pixels = new Float32Array(count * rows * cols);
  for (let i = 0; i < pixels.length; i++) pixels[i] = buf[16 + i] / 255;
  return { pixels, count, rows, cols };
}

/** Parse IDX label bytes; every label must lie in 0 … classes−1 (default 10 classes: 0–9). */
export function parseIdxLabels(buf: Buffer, file: string, classes = 10): Int32Array {
  if (!Number.isInteger(classes) || classes < 1) throw new RangeError(`classes must be an integer ≥ 1, got ${classes}`);
  if (buf.length < 8) throw new RangeError(`${file}: truncated header (${buf.length} bytes, a label file needs 8)`);
  const magic = buf.readUInt32BE(0);
  if (magic !== LABEL_MAGIC) throw new RangeError(`${file}: wrong magic number 0x${magic.toString(16).padStart(8, "0")}, expected 0x00000801 (unsigned-byte labels, 1 dimension)`);
  const count = buf.readUInt32BE(4);
  if (buf.length < 8 + count) throw new RangeError(`${file}: truncated: header announces ${count} labels, file has ${buf.length - 8}`);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const v = buf[8 + i];
    if (v >= classes) throw new RangeError(`${file}: label ${i} is ${v}, expected 0–${classes - 1}`);
    labels[i] = v;
  }
  return labels;
}

/** Expected image size of a loader (the 28×28 task sets); checked against the file's header. */
export interface ImageShape {
  rows: number;
  cols: number;
}

/** The image size of the MNIST family (Fashion-MNIST, MNIST, KMNIST, Kannada-MNIST). */
export const MNIST_SHAPE: Readonly<ImageShape> = Object.freeze({ rows: 28, cols: 28 });

/**
 * Load an image file and its label file into a 10-class dataset (optionally only the first `limit`
 * samples). `shape`: the image size the caller needs; a file of another size throws a RangeError naming it.
 */
export function loadIdxPair(name: string, imagesFile: string, labelsFile: string, limit?: number, shape?: ImageShape): Dataset {
  if (limit !== undefined) requireInteger("limit", limit, 0);
  const img = parseIdxImages(readMaybeGz(imagesFile), imagesFile);
  if (shape && (img.rows !== shape.rows || img.cols !== shape.cols)) {
    throw new RangeError(`${imagesFile}: images are ${img.rows}×${img.cols}, expected ${shape.rows}×${shape.cols}`);
  }
  const labels = parseIdxLabels(readMaybeGz(labelsFile), labelsFile);
  if (img.count !== labels.length) throw new RangeError(`${imagesFile} holds ${img.count} images but ${labelsFile} holds ${labels.length} labels`);
  const dim = img.rows * img.cols;
  const n = limit === undefined ? img.count : Math.min(limit, img.count);
  return makeDataset(name, img.pixels.slice(0, n * dim), labels.slice(0, n), dim, 10);
}

export type Split = "train" | "test";

export type IdxKind = "images" | "labels";

/** The accepted names of one IDX file, without ".gz" (dashed first, then dotted); see the module comment. */
export function idxFileNames(split: Split, kind: IdxKind): string[] {
  const p = split === "train" ? "train" : "t10k";
  return kind === "images" ? [`${p}-images-idx3-ubyte`, `${p}-images.idx3-ubyte`] : [`${p}-labels-idx1-ubyte`, `${p}-labels.idx1-ubyte`];
}

/** The path of a split's image or label file in `dir` under any accepted name (with or without .gz), or null. */
export function findIdxFile(dir: string, split: Split, kind: IdxKind): string | null {
  for (const s of idxFileNames(split, kind)) for (const f of [s, `${s}.gz`]) if (fs.existsSync(path.join(dir, f))) return path.join(dir, f);
  return null;
}

/** How one missing file is named in messages: "t10k-labels-idx1-ubyte[.gz] (or t10k-labels.idx1-ubyte[.gz])". */
function describeNames(split: Split, kind: IdxKind): string {
  const [dashed, dotted] = idxFileNames(split, kind);
  return `${dashed}[.gz] (or ${dotted}[.gz])`;
}

const ALL_FILES: readonly [Split, IdxKind][] = [["train", "images"], ["train", "labels"], ["test", "images"], ["test", "labels"]];

/** Which of a folder's four IDX files (train/t10k × images/labels) are present. */
export interface IdxFolderStatus {
  dir: string;
  /** All four files present. */
  complete: boolean;
  /** Paths of the files found. */
  found: string[];
  /** The files not found, each as its accepted names (see {@link findIdxFile}). */
  missing: string[];
}

export function idxFolderStatus(dir: string): IdxFolderStatus {
  const found: string[] = [];
  const missing: string[] = [];
  for (const [split, kind] of ALL_FILES) {
    const f = fs.existsSync(dir) ? findIdxFile(dir, split, kind) : null;
    if (f) found.push(f);
    else missing.push(describeNames(split, kind));
  }
  return { dir, complete: missing.length === 0, found, missing };
}

/** Load an IDX dataset from a folder holding the accepted file names (module comment). */
export function loadIdxFolder(name: string, dir: string, split: Split, limit?: number, shape?: ImageShape): Dataset {
  const images = findIdxFile(dir, split, "images");
  const labels = findIdxFile(dir, split, "labels");
  const missing = [...(images ? [] : [describeNames(split, "images")]), ...(labels ? [] : [describeNames(split, "labels")])];
  if (missing.length > 0) throw new RangeError(`${dir}: ${split} IDX file${missing.length > 1 ? "s" : ""} not found: ${missing.join(", ")}`);
  return loadIdxPair(name, images!, labels!, limit, shape);
}

/** Fashion-MNIST from the Debian package's folder. */
export const FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";

export function loadFashionMnist(split: Split, limit?: number): Dataset {
  return loadIdxFolder(`FMNIST-${split}`, FASHION_MNIST_DIR, split, limit, MNIST_SHAPE);
}

export type UserIdxSet = "mnist" | "kmnist" | "kannada-mnist";

/** The folder of a user-supplied set: <project root>/data/<set>. */
export function userIdxDir(set: UserIdxSet): string {
  return path.join(projectRoot(), "data", set);
}

/** Which of a user-supplied set's four files are present (same name resolution as the loader). */
export function userIdxStatus(set: UserIdxSet): IdxFolderStatus {
  return idxFolderStatus(userIdxDir(set));
}

/**
 * User-supplied sets under data/: "mnist", "kmnist", "kannada-mnist" (28×28 images required). Null when
 * the split's image or label file is absent.
 */
export function loadUserIdx(set: UserIdxSet, split: Split, limit?: number): Dataset | null {
  const dir = userIdxDir(set);
  if (!findIdxFile(dir, split, "images") || !findIdxFile(dir, split, "labels")) return null;
  return loadIdxFolder(`${set.toUpperCase()}-${split}`, dir, split, limit, MNIST_SHAPE);
}
