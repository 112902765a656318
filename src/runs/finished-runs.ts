/**
 * Finished-run records: the result of a completed training schedule, kept as a small JSON file that can be
 * committed, so paper-scale (full-mode) runs that take many hours in all accumulate across sessions and
 * machines. A checkpoint (src/nn/checkpoint.ts, ~16 MB for the 784×1000×500×10 network) holds the trainer's
 * state and lives in the untracked `.checkpoints/`; once a run is complete only its result is needed (the
 * accuracy rows, the first-layer hidden-weight histogram, the digest of the final hidden weights and the
 * training time), a few kB (at most about 20 kB), and that is what a record holds.
 *
 * A record is found by the same configuration key as the run's checkpoint (network, schedule, evaluation sets,
 * data identity, compute path), so a record of other settings is never used for this run. The file:
 *   { "format": "imc-finished-run/1", "key": "<16 hex>", "sha256": "<hex of JSON.stringify(result), key order as stored>",
 *     "result": ScheduleResult }
 * The file is a sealed record (src/util/sealed-record.ts): one that fails any check (JSON, format, key, checksum,
 * and here the result's shape) is refused with the reason and left in place, as a checkpoint is: a run never
 * silently retrains over, or trusts, a damaged result.
 *
 * The key names a run's weight transfer function ("ecram", "rram"), not the device and circuit presets that shape
 * it, so each folder of records also keeps `transfer-functions.json`: W_b = f(W_h) of every MTT function its runs
 * trained with, sampled at W_h = −1, −0.9, …, 1 ({@link checkRecordedTransfer}). A run whose function no longer
 * matches (a preset was edited) refuses its folder's records and checkpoints instead of reading results of other
 * hardware.
 */
import * as fs from "fs";
import * as path from "path";
import type { ScheduleResult, ScheduleRow } from "./task-sequence-runner";
import { requireJsonSafe } from "../util/json-key";
import { writeFileAtomic } from "../util/atomic-write";
import { readSealedRecord, sha256Hex, writeSealedRecord } from "../util/sealed-record";

const FORMAT = "imc-finished-run/1";

/** Raised when a finished-run record exists but cannot be trusted; the file is kept. */
export class FinishedRunError extends Error {
  readonly file: string;
  constructor(file: string, reason: string) {
    super(`finished-run record ${file} refused: ${reason}. The file is kept for inspection (restore it from git, or delete it to train the run again).`);
    this.name = "FinishedRunError";
    this.file = file;
  }
}

/** The checksum covers the result's JSON as written (key order of the object as stored). */
function resultDigest(result: unknown): string {
  return sha256Hex(JSON.stringify(result) ?? "");
}

/** Path of the record in `dir` of the run whose checkpoint is named `<stem>.ckpt`. */
export function finishedRunFile(dir: string, stem: string): string {
  return path.join(dir, `${stem}.json`);
}

/** Write the record of a completed run (atomically: temporary file, then rename). */
export function saveFinishedRun(file: string, key: string, result: ScheduleResult): void {
  if (!result.completed) throw new RangeError(`only a completed run has a finished-run record (${file})`);
  // The stored result describes the run, not this process's execution of it.
  const stored: ScheduleResult = { ...result, resumedAfter: null };
  requireJsonSafe(stored, `finished-run record ${file}`);
  writeSealedRecord(file, { format: FORMAT, key, sha256: resultDigest(stored), result: stored });
}

function checkRow(r: ScheduleRow, i: number, file: string): void {
  const ints = [r.phase, r.epoch, r.globalEpoch];
  if (!ints.every((v) => Number.isInteger(v) && v >= 0) || typeof r.eval !== "string" || typeof r.phaseName !== "string" || !(r.accuracy >= 0 && r.accuracy <= 1))
    throw new FinishedRunError(file, `result row ${i} is malformed (${JSON.stringify(r)})`);
}

/**
 * The stored result of the run with configuration `expectedKey`, or null when no record exists; throws
 * {@link FinishedRunError} when the record cannot be trusted.
 */
export function loadFinishedRun(file: string, expectedKey: string): ScheduleResult | null {
  const rec = readSealedRecord(file, {
    format: FORMAT,
    key: expectedKey,
    sha256Of: (r) => resultDigest(r.result),
    refuse: (reason) => new FinishedRunError(file, reason),
  });
  if (rec === null) return null;
  const res = rec.result as ScheduleResult;
  if (!res || !Array.isArray(res.rows) || res.rows.length === 0 || res.completed !== true || !res.hiddenHistogram || !Array.isArray(res.hiddenHistogram.counts) || typeof res.hiddenDigest !== "string")
    throw new FinishedRunError(file, "the result lacks rows, completion, the hidden-weight histogram or the digest");
  res.rows.forEach((r, i) => checkRow(r, i, file));
  return res;
}

/** The file in a folder of finished-run records that holds the transfer functions its runs trained with. */
export const TRANSFER_FUNCTIONS_FILE = "transfer-functions.json";

/** W_b = f(W_h) at W_h = −1, −0.9, …, 1: enough to tell two MTT transfer functions apart. */
export function transferSamples(apply: (hiddenWeight: number) => number): number[] {
  return Array.from({ length: 21 }, (_, i) => apply(-1 + i / 10));
}

/** Largest |W_b| difference two sample sets may show and still be the same function (a preset edit moves W_b by far more). */
const SAME_FUNCTION = 1e-9;

/** Raised when a run's transfer function differs from the one its folder's records were trained with. */
export class TransferChangedError extends Error {
  constructor(readonly file: string, readonly transfer: string, worst: { hiddenWeight: number; recorded: number; now: number }) {
    super(
      `the ${transfer} transfer function differs from the one the runs recorded in ${path.dirname(file)} trained with ` +
        `(at W_h = ${worst.hiddenWeight.toFixed(1)}: W_b ${worst.recorded} recorded, ${worst.now} now): a device or MTT circuit preset changed. ` +
        `Their records and checkpoints describe other hardware. To train them again under the present presets, delete the ${transfer}-*.json records ` +
        `there, the "${transfer}" entry of ${path.basename(file)} and the ${transfer}-*.ckpt checkpoints; or restore the presets.`,
    );
    this.name = "TransferChangedError";
  }
}

/**
 * Check that `samples` (of {@link transferSamples}) of the transfer function `transfer` match the entry of the
 * folder's {@link TRANSFER_FUNCTIONS_FILE}; throws {@link TransferChangedError} when they do not. When the folder has
 * no entry for it, `record: true` adds one (a run about to write its first record there) and `record: false` checks
 * nothing.
 */
export function checkRecordedTransfer(dir: string, transfer: string, samples: readonly number[], opts: { record: boolean }): void {
  const file = path.join(dir, TRANSFER_FUNCTIONS_FILE);
  let recorded: Record<string, number[]> = {};
  if (fs.existsSync(file)) {
    try {
      recorded = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
      throw new FinishedRunError(file, `not valid JSON (${(e as Error).message})`);
    }
    if (!recorded || typeof recorded !== "object" || Array.isArray(recorded)) throw new FinishedRunError(file, "expected an object of sample arrays by transfer name");
  }
  const entry = recorded[transfer];
  if (entry === undefined) {
    if (!opts.record) return;
    writeFileAtomic(file, JSON.stringify({ ...recorded, [transfer]: samples }, null, 1) + "\n");
    return;
  }
  if (!Array.isArray(entry) || entry.length !== samples.length || !entry.every((v) => typeof v === "number"))
    throw new FinishedRunError(file, `its "${transfer}" entry is not ${samples.length} numbers`);
  let worst = 0;
  let worstDiff = -1;
  for (let i = 0; i < samples.length; i++) {
    const d = Math.abs(entry[i] - samples[i]);
    const diff = Number.isNaN(d) ? Infinity : d;
    if (diff > worstDiff) [worst, worstDiff] = [i, diff];
  }
  if (worstDiff > SAME_FUNCTION) throw new TransferChangedError(file, transfer, { hiddenWeight: -1 + worst / 10, recorded: entry[worst], now: samples[worst] });
}
