import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { createHash } from "crypto";
import { createRng } from "../src/util/rng";
import { FASHION_MNIST_DIR, loadFashionMnist, loadIdxPair, parseIdxImages, parseIdxLabels } from "../src/nn/datasets/idx";
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

test("toy 2-D sets: per-blob sample means within 4 standard errors of the blob centres (false-failure rate < 1e-3)", () => {
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
      assert.ok(Math.abs(sx / n - blobs[b].center[0]) < 4 * se && Math.abs(sy / n - blobs[b].center[1]) < 4 * se, `${name} blob ${b}`);
    }
  }
  assert.not.equal(Array.from(toyDataset("XOR", 8, createRng(1)).x), Array.from(toyDataset("XOR", 8, createRng(2)).x));
});

test("makeDataset rejects mismatched feature and label counts", () => {
  assert.throws(() => makeDataset("m", new Float32Array(6), new Int32Array(2), 2), /3 samples but 2 labels/);
  assert.throws(() => makeDataset("m", new Float32Array(5), new Int32Array(2), 2), /do not divide/);
});

test.run();
