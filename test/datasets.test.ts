import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { createHash } from "crypto";
import { createRng } from "../src/util/rng";
import { FASHION_MNIST_DIR, MNIST_SHAPE, findIdxFile, idxFolderStatus, loadFashionMnist, loadIdxFolder, loadIdxPair, parseIdxImages, parseIdxLabels } from "../src/nn/datasets/idx";
import { loadMnistPackage } from "../src/nn/datasets/mnist-package";
import { TOY_BLOBS, TOY_SIGMA, toyDataset } from "../src/nn/datasets/toy2d";
import { makeDataset } from "../src/nn/datasets/dataset";

function idxImages(count: number, rows: number, cols: number, bytes: number[]): Buffer {
  const h = Buffer.alloc(16);
  h.writeUInt32BE(0x803, 0);
  h.writeUInt32BE(count, 4);
  h.writeUInt32BE(rows, 8);
  h.writeUInt32BE(cols, 12);
  return Buffer.concat([h, Buffer.from(bytes)]);
}
function idxLabels(labels: number[]): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt32BE(0x801, 0);
  h.writeUInt32BE(labels.length, 4);
  return Buffer.concat([h, Buffer.from(labels)]);
}

test("IDX parser: hand-built files, pixels scaled by 1/255", () => {
  const img = parseIdxImages(idxImages(2, 1, 2, [0, 255, 51, 102]), "mem");
  assert.is(img.count, 2);
  assert.equal(Array.from(img.pixels), [0, 1, 0.2, 0.4].map((v) => Math.fround(v)));
  assert.equal(Array.from(parseIdxLabels(idxLabels([3, 7]), "mem")), [3, 7]);
});

test("IDX errors name the file and the fault: wrong magic, truncation, count mismatch", () => {
  const bad = idxImages(2, 1, 2, [0, 1, 2, 3]);
  bad.writeUInt32BE(0x801, 0);
  assert.throws(() => parseIdxImages(bad, "x-images"), /x-images: wrong magic number 0x00000801/);
  assert.throws(() => parseIdxImages(idxImages(3, 1, 2, [0, 1, 2, 3]), "x-images"), /x-images: truncated/);
  assert.throws(() => parseIdxLabels(Buffer.alloc(5), "x-labels"), /x-labels: truncated header/);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "idx-"));
  const imgFile = path.join(dir, "img.gz");
  const labFile = path.join(dir, "lab");
  fs.writeFileSync(imgFile, zlib.gzipSync(idxImages(2, 1, 2, [0, 1, 2, 3])));
  fs.writeFileSync(labFile, idxLabels([1, 2, 3]));
  assert.throws(() => loadIdxPair("t", imgFile, labFile), /img\.gz holds 2 images but .*lab holds 3 labels/);
  fs.writeFileSync(labFile, idxLabels([1, 2]));
  const d = loadIdxPair("t", imgFile, labFile);
  assert.is(d.count, 2);
  assert.is(d.dim, 2);
  fs.writeFileSync(imgFile, zlib.gzipSync(idxImages(2, 1, 2, [0, 1, 2, 3])).subarray(0, 20));
  assert.throws(() => loadIdxPair("t", imgFile, labFile), /img\.gz: gzip data is corrupt or truncated/);
  fs.rmSync(dir, { recursive: true });
});

test("IDX errors are RangeErrors (src/README: bad input throws RangeError), messages unchanged", () => {
  const isRange = (re: RegExp) => (e: unknown) => e instanceof RangeError && re.test((e as Error).message);
  const bad = idxImages(2, 1, 2, [0, 1, 2, 3]);
  bad.writeUInt32BE(0x801, 0);
  assert.throws(() => parseIdxImages(bad, "x-images"), isRange(/^x-images: wrong magic number 0x00000801, expected 0x00000803/));
  assert.throws(() => parseIdxImages(idxImages(3, 1, 2, [0, 1, 2, 3]), "x-images"), isRange(/^x-images: truncated: header announces 3 images/));
  assert.throws(() => parseIdxLabels(Buffer.alloc(5), "x-labels"), isRange(/^x-labels: truncated header \(5 bytes/));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "idx-"));
  try {
    const imgFile = path.join(dir, "img");
    const labFile = path.join(dir, "lab");
    fs.writeFileSync(imgFile, idxImages(2, 1, 2, [0, 1, 2, 3]));
    fs.writeFileSync(labFile, idxLabels([1, 2, 3]));
    assert.throws(() => loadIdxPair("t", imgFile, labFile), isRange(/img holds 2 images but .*lab holds 3 labels/));
    assert.throws(() => loadIdxPair("t", path.join(dir, "nope"), labFile), isRange(/nope: file not found/));
    fs.writeFileSync(imgFile, zlib.gzipSync(idxImages(2, 1, 2, [0, 1, 2, 3])).subarray(0, 20));
    assert.throws(() => loadIdxPair("t", imgFile, labFile), isRange(/img: gzip data is corrupt or truncated/));
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});

test("IDX labels outside 0–9 are refused, naming the file, the index and the value", () => {
  assert.throws(() => parseIdxLabels(idxLabels([3, 9, 10]), "kmnist/train-labels"), (e: unknown) => e instanceof RangeError && /^kmnist\/train-labels: label 2 is 10, expected 0–9$/.test((e as Error).message));
  assert.throws(() => parseIdxLabels(idxLabels([0, 255]), "f"), /f: label 1 is 255/);
  assert.equal(Array.from(parseIdxLabels(idxLabels([0, 9]), "f")), [0, 9]);
  assert.throws(() => parseIdxLabels(idxLabels([0, 2]), "f", 2), /f: label 1 is 2, expected 0–1/);
});

test("loadIdxPair with an expected shape: a file of another image size is refused, naming it and the shape found", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "idx-"));
  try {
    const imgFile = path.join(dir, "train-images-idx3-ubyte");
    const labFile = path.join(dir, "train-labels-idx1-ubyte");
    fs.writeFileSync(imgFile, idxImages(1, 14, 14, new Array(196).fill(0)));
    fs.writeFileSync(labFile, idxLabels([4]));
    assert.is(loadIdxPair("t", imgFile, labFile).dim, 196);
    assert.throws(() => loadIdxPair("t", imgFile, labFile, undefined, MNIST_SHAPE), (e: unknown) => e instanceof RangeError && /train-images-idx3-ubyte: images are 14×14, expected 28×28/.test((e as Error).message));
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});

test("findIdxFile: dashed and dotted names, with or without .gz; idxFolderStatus names exactly the missing files", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "idx-names-"));
  try {
    assert.is(findIdxFile(dir, "train", "images"), null);
    fs.writeFileSync(path.join(dir, "train-images.idx3-ubyte.gz"), zlib.gzipSync(idxImages(1, 28, 28, new Array(784).fill(0))));
    fs.writeFileSync(path.join(dir, "train-labels.idx1-ubyte"), idxLabels([1]));
    fs.writeFileSync(path.join(dir, "t10k-images-idx3-ubyte"), idxImages(1, 28, 28, new Array(784).fill(0)));
    assert.is(findIdxFile(dir, "train", "images"), path.join(dir, "train-images.idx3-ubyte.gz"));
    assert.is(findIdxFile(dir, "train", "labels"), path.join(dir, "train-labels.idx1-ubyte"));
    assert.is(findIdxFile(dir, "test", "images"), path.join(dir, "t10k-images-idx3-ubyte"));
    const st = idxFolderStatus(dir);
    assert.not.ok(st.complete);
    assert.is(st.found.length, 3);
    assert.equal(st.missing, ["t10k-labels-idx1-ubyte[.gz] (or t10k-labels.idx1-ubyte[.gz])"]);
    assert.throws(() => loadIdxFolder("t", dir, "test"), (e: unknown) => e instanceof RangeError && /test IDX file not found: t10k-labels-idx1-ubyte\[\.gz\] \(or t10k-labels\.idx1-ubyte\[\.gz\]\)/.test((e as Error).message));
    const d = loadIdxFolder("t", dir, "train", undefined, MNIST_SHAPE);
    assert.equal([d.count, d.dim, d.y[0]], [1, 784, 1]);
    fs.writeFileSync(path.join(dir, "t10k-labels-idx1-ubyte.gz"), zlib.gzipSync(idxLabels([2])));
    assert.ok(idxFolderStatus(dir).complete);
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});

test("Fashion-MNIST from the Debian package: 28×28 images in [0, 1], labels 0–9, all classes present", () => {
  // No silent skip: the data is a required install (scripts/setup.sh installs the Debian package
  // dataset-fashion-mnist), and other tests and notebooks need it too.
  assert.ok(
    fs.existsSync(FASHION_MNIST_DIR),
    `${FASHION_MNIST_DIR} is missing: run \`npm run setup\` (scripts/setup.sh installs the Debian package dataset-fashion-mnist)`,
  );
  const d = loadFashionMnist("test", 500);
  assert.is(d.count, 500);
  assert.is(d.dim, 784);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of d.x) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  assert.ok(lo >= 0 && hi <= 1 && hi > 0.9);
  assert.is(new Set(d.y).size, 10);
});

test("npm mnist digits: disjoint deterministic train/test split, 10 classes", () => {
  const tr = loadMnistPackage("train");
  const te = loadMnistPackage("test");
  assert.ok(tr.count + te.count >= 9000 && tr.count + te.count <= 11000, `total ${tr.count + te.count}`);
  assert.is(new Set(te.y).size, 10);
  assert.is(tr.dim, 784);
  assert.equal(Array.from(loadMnistPackage("test").x.slice(0, 784)), Array.from(te.x.slice(0, 784)));
  // Disjoint: key every image by a hash of its pixel bytes; no test image may occur in the training split.
  const key = (d: typeof tr, i: number) =>
    createHash("sha1").update(Buffer.from(d.x.buffer, d.x.byteOffset + i * d.dim * 4, d.dim * 4)).digest("hex");
  const trainKeys = new Set<string>();
  for (let i = 0; i < tr.count; i++) trainKeys.add(key(tr, i));
  const shared: number[] = [];
  for (let i = 0; i < te.count; i++) if (trainKeys.has(key(te, i))) shared.push(i);
  assert.is(shared.length, 0, `test images also in train: indices ${shared.slice(0, 5).join(", ")}`);
});

test("toy 2-D sets: per-blob sample means within 4.5 standard errors of the blob centres (false-failure rate < 2e-4 over the 24 checks)", () => {
  for (const name of ["XOR", "Data-A", "Data-B", "Data-C"] as const) {
    const d = toyDataset(name, 4000, createRng("toy"));
    const blobs = TOY_BLOBS[name];
    const k = blobs.length;
    for (let b = 0; b < k; b++) {
      let sx = 0;
      let sy = 0;
      let n = 0;
      for (let i = b; i < d.count; i += k) {
        sx += d.x[2 * i];
        sy += d.x[2 * i + 1];
        n++;
        assert.is(d.y[i], blobs[b].label);
      }
      const se = TOY_SIGMA / Math.sqrt(n);
      assert.ok(Math.abs(sx / n - blobs[b].center[0]) < 4.5 * se && Math.abs(sy / n - blobs[b].center[1]) < 4.5 * se, `${name} blob ${b}`);
    }
  }
  assert.not.equal(Array.from(toyDataset("XOR", 8, createRng(1)).x), Array.from(toyDataset("XOR", 8, createRng(2)).x));
});

test("makeDataset rejects mismatched feature and label counts", () => {
  assert.throws(() => makeDataset("m", new Float32Array(6), new Int32Array(2), 2), /3 samples but 2 labels/);
  assert.throws(() => makeDataset("m", new Float32Array(5), new Int32Array(2), 2), /do not divide/);
});

test("makeDataset rejects labels outside 0 … classes−1, naming the dataset, the index and the value", () => {
  const x = new Float32Array(6);
  assert.throws(() => makeDataset("m", x, Int32Array.from([0, 1, 2]), 2, 2), (e: unknown) => e instanceof RangeError && /^dataset "m": label 2 is 2, outside 0…1/.test((e as Error).message));
  assert.throws(() => makeDataset("m", x, Int32Array.from([0, 10, 1]), 2, 10), /dataset "m": label 1 is 10, outside 0…9/);
  assert.throws(() => makeDataset("m", x, Int32Array.from([0, -1, 1]), 2, 10), /label 1 is -1/);
  assert.throws(() => makeDataset("m", x, Int32Array.from([0, 0, 0]), 2, 0), /classes must be an integer ≥ 1, got 0/);
  assert.is(makeDataset("m", x, Int32Array.from([0, 9, 1]), 2, 10).classes, 10);
  assert.is(makeDataset("m", x, Int32Array.from([0, 4, 1]), 2).classes, 5, "without classes: largest label + 1");
});

test.run();
