/**
 * A store of finished run results on disk, for full-mode sweeps whose single runs take minutes: a script
 * (scripts/run-parallel-full.ts) fills it over worker threads, and the notebook's full-mode execution reads
 * the finished results instead of training again. A run's result depends only on its job (the seeded
 * streams make it bit-identical), so the job itself is the key.
 *
 * One JSON file per run, `<dir>/<label>-<key>.json`:
 *   { format: "imc-result-1", key, job, result, sha256 }
 * where key = configKey(job) (16 hex digits of SHA-256 of the canonical job JSON) and sha256 covers the JSON
 * of { key, job, result }; the file is a sealed record (src/util/sealed-record.ts): written atomically, and refused with the
 * reason and left where it is when any check fails, as a corrupted checkpoint is (src/nn/checkpoint.ts).
 */
import * as path from "path";
import { configKey, requireJsonSafe } from "../util/json-key";
import { readSealedRecord, sha256Hex, writeSealedRecord } from "../util/sealed-record";

const FORMAT = "imc-result-1";

/** Raised when a stored result exists but cannot be trusted; the file is kept. */
export class ResultCacheError extends Error {
  readonly file: string;
  constructor(file: string, reason: string) {
    super(`stored run result ${file} refused: ${reason}. The file is kept for inspection (move or delete it to run the job again).`);
    this.name = "ResultCacheError";
    this.file = file;
  }
}

/** The checksum covers the key, the job and the result. */
function digest(key: unknown, job: unknown, result: unknown): string {
  return sha256Hex(JSON.stringify({ key, job, result }));
}

/** File of a job: a readable label (letters, digits, `.=-` kept) plus the job's key. */
export function resultFile(dir: string, label: string, job: unknown): string {
  const safe = label.replace(/[^A-Za-z0-9.=-]+/g, "_");
  return path.join(dir, `${safe}-${configKey(job)}.json`);
}

/** Null when no result is stored for this job; the stored result otherwise; throws {@link ResultCacheError} when it cannot be trusted. */
export function loadResult<R>(file: string, job: unknown): R | null {
  const key = configKey(job);
  const stored = readSealedRecord(file, {
    format: FORMAT,
    key,
    sha256Of: (r) => digest(r.key, r.job, r.result),
    refuse: (reason) => new ResultCacheError(file, reason),
  });
  if (stored === null) return null;
  if (configKey(stored.job) !== key) throw new ResultCacheError(file, "the job stored in it differs from this job");
  return stored.result as R;
}

export function saveResult(file: string, job: unknown, result: unknown): void {
  requireJsonSafe(result, `result for ${file}`);
  const key = configKey(job);
  writeSealedRecord(file, { format: FORMAT, key, job, result, sha256: digest(key, job, result) });
}
