/**
 * Checkpoints of a training run on disk, so that a long (full-mode) run resumes after an interruption with
 * bit-identical results. A checkpoint holds the trainer's full state ({@link TrainerSnapshot}: hidden
 * weights, every task's BatchNorm, Adam moments and step) plus a JSON `progress` record chosen by the
 * caller (where the schedule stands, the metrics so far) and the `key` of the configuration it belongs to.
 *
 * File layout (all integers little-endian):
 *   "IMCCKPT1"                      8 bytes, magic and format version
 *   header length H                 uint32
 *   header                          H bytes of UTF-8 JSON: key, endianness, array manifest, task, Adam step, progress
 *   payload                         the manifest's Float32 arrays back to back, in platform byte order
 *                                   (recorded in the header; a file from a big-endian machine is refused)
 *   SHA-256 of everything above     32 bytes
 * Writes go to `<file>.tmp` and are renamed into place, so a crash mid-write never leaves a half file under
 * the real name. A file that fails any check is refused with the reason and left where it is.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { TrainerSnapshot } from "./train";
import { writeFileAtomic } from "../util/atomic-write";
import { requireJsonSafe } from "../util/json-key";

const MAGIC = "IMCCKPT1";
const DIGEST_BYTES = 32;

/** Raised when a checkpoint exists but cannot be trusted; the file is kept. */
export class CheckpointError extends Error {
  readonly file: string;
  constructor(file: string, reason: string) {
    super(`checkpoint ${file} refused: ${reason}. Not resuming; the file is kept for inspection (move or delete it to start the run over).`);
    this.name = "CheckpointError";
    this.file = file;
  }
}

interface ArrayEntry {
  name: string;
  length: number;
}

interface Header<P> {
  key: string;
  endianness: "LE" | "BE";
  arrays: ArrayEntry[];
  task: number;
  adamStep: number;
  tasks: number;
  layers: number;
  progress: P;
}

/** Flatten a snapshot into named arrays (a stable order the decoder rebuilds). */
function flatten(s: TrainerSnapshot): { name: string; data: Float32Array }[] {
  const out: { name: string; data: Float32Array }[] = [];
  s.hidden.forEach((h, l) => out.push({ name: `hidden/${l}`, data: h }));
  s.bn.forEach((task, t) =>
    task.forEach((b, l) => {
      out.push({ name: `bn/${t}/${l}/gamma`, data: b.gamma });
      out.push({ name: `bn/${t}/${l}/beta`, data: b.beta });
      out.push({ name: `bn/${t}/${l}/runningMean`, data: b.runningMean });
      out.push({ name: `bn/${t}/${l}/runningVar`, data: b.runningVar });
    }),
  );
  s.adam.m.forEach((a, i) => out.push({ name: `adam/m/${i}`, data: a }));
  s.adam.v.forEach((a, i) => out.push({ name: `adam/v/${i}`, data: a }));
  return out;
}

/** Serialize a snapshot and progress record for configuration `key`. */
export function encodeCheckpoint<P>(key: string, snapshot: TrainerSnapshot, progress: P): Buffer {
  requireJsonSafe(progress, "checkpoint progress");
  const arrays = flatten(snapshot);
  const header: Header<P> = {
    key,
    endianness: os.endianness(),
    arrays: arrays.map((a) => ({ name: a.name, length: a.data.length })),
    task: snapshot.task,
    adamStep: snapshot.adam.step,
    tasks: snapshot.bn.length,
    layers: snapshot.hidden.length,
    progress,
  };
  const headerBuf = Buffer.from(JSON.stringify(header), "utf8");
  const lenBuf = Buffer.alloc(4);
  lenBuf.writeUInt32LE(headerBuf.length, 0);
  const parts: Buffer[] = [Buffer.from(MAGIC, "ascii"), lenBuf, headerBuf];
  for (const a of arrays) parts.push(Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength));
  const body = Buffer.concat(parts);
  const digest = crypto.createHash("sha256").update(body).digest();
  return Buffer.concat([body, digest]);
}

/** Parse and verify a checkpoint; throws {@link CheckpointError} naming what is wrong. */
export function decodeCheckpoint<P>(buf: Buffer, file: string, expectedKey: string): { snapshot: TrainerSnapshot; progress: P } {
  const minLen = MAGIC.length + 4 + DIGEST_BYTES;
  if (buf.length < minLen) throw new CheckpointError(file, `file is truncated (${buf.length} bytes, a checkpoint has at least ${minLen})`);
  if (buf.toString("ascii", 0, MAGIC.length) !== MAGIC) throw new CheckpointError(file, `wrong magic "${buf.toString("latin1", 0, MAGIC.length)}", expected "${MAGIC}" (not a checkpoint of this format version)`);
  const body = buf.subarray(0, buf.length - DIGEST_BYTES);
  const stored = buf.subarray(buf.length - DIGEST_BYTES);
  const computed = crypto.createHash("sha256").update(body).digest();
  if (!computed.equals(stored)) throw new CheckpointError(file, `SHA-256 checksum mismatch (stored ${stored.toString("hex").slice(0, 16)}…, computed ${computed.toString("hex").slice(0, 16)}…): the file is corrupted or truncated`);
  const hLen = buf.readUInt32LE(MAGIC.length);
  const hStart = MAGIC.length + 4;
  if (hStart + hLen > body.length) throw new CheckpointError(file, `header length ${hLen} runs past the end of the file`);
  let header: Header<P>;
  try {
    header = JSON.parse(body.toString("utf8", hStart, hStart + hLen)) as Header<P>;
  } catch (e) {
    throw new CheckpointError(file, `header is not valid JSON (${(e as Error).message})`);
  }
  if (header.key !== expectedKey) throw new CheckpointError(file, `it belongs to another configuration (key ${header.key}, this run's key is ${expectedKey})`);
  if (header.endianness !== os.endianness()) throw new CheckpointError(file, `written on a ${header.endianness} machine, this one is ${os.endianness()}`);
  let offset = hStart + hLen;
  const arrays = new Map<string, Float32Array>();
  for (const a of header.arrays) {
    const bytes = a.length * 4;
    if (offset + bytes > body.length) throw new CheckpointError(file, `array ${a.name} (${a.length} values) runs past the end of the payload`);
    const copy = new Float32Array(a.length);
    new Uint8Array(copy.buffer).set(body.subarray(offset, offset + bytes));
    arrays.set(a.name, copy);
    offset += bytes;
  }
  if (offset !== body.length) throw new CheckpointError(file, `${body.length - offset} unexpected bytes after the payload`);
  const get = (name: string): Float32Array => {
    const v = arrays.get(name);
    if (!v) throw new CheckpointError(file, `array ${name} is missing from the manifest`);
    return v;
  };
  const hidden = Array.from({ length: header.layers }, (_, l) => get(`hidden/${l}`));
  const bn = Array.from({ length: header.tasks }, (_, t) =>
    Array.from({ length: header.layers }, (_, l) => ({ gamma: get(`bn/${t}/${l}/gamma`), beta: get(`bn/${t}/${l}/beta`), runningMean: get(`bn/${t}/${l}/runningMean`), runningVar: get(`bn/${t}/${l}/runningVar`) })),
  );
  const slots = header.arrays.filter((a) => a.name.startsWith("adam/m/")).length;
  const m = Array.from({ length: slots }, (_, i) => get(`adam/m/${i}`));
  const v = Array.from({ length: slots }, (_, i) => get(`adam/v/${i}`));
  return { snapshot: { hidden, bn, adam: { step: header.adamStep, m, v }, task: header.task }, progress: header.progress };
}

/** Write atomically (temporary file, then rename). */
export function saveCheckpoint<P>(file: string, key: string, snapshot: TrainerSnapshot, progress: P): void {
  writeFileAtomic(file, encodeCheckpoint(key, snapshot, progress));
}

/** Null when no checkpoint exists; the verified contents otherwise; throws {@link CheckpointError} when it cannot be trusted. */
export function loadCheckpoint<P>(file: string, expectedKey: string): { snapshot: TrainerSnapshot; progress: P } | null {
  if (!fs.existsSync(file)) return null;
  return decodeCheckpoint<P>(fs.readFileSync(file), file, expectedKey);
}

/**
 * Checkpoint files (`*.ckpt`) in `dir` that none of `owned` (paths of files that present runs write) names:
 * files of older settings. Names only, sorted; nothing is read or deleted.
 */
export function orphanCheckpoints(dir: string, owned: Iterable<string>): string[] {
  if (!fs.existsSync(dir)) return [];
  const names = new Set<string>();
  for (const f of owned) if (path.resolve(path.dirname(f)) === path.resolve(dir)) names.add(path.basename(f));
  return fs.readdirSync(dir).filter((f) => f.endsWith(".ckpt") && !names.has(f)).sort();
}
