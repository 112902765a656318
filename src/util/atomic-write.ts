/**
 * Write a file so that a reader never sees it half written: the data goes to `<file>.tmp` first, which is then
 * renamed over `file` (a rename within one folder is atomic). The folder is created when missing. Checkpoints,
 * stored results, run records, metrics and reports are all written this way, so a run killed mid-write leaves the
 * previous file intact.
 */
import * as fs from "fs";
import * as path from "path";

export function writeFileAtomic(file: string, data: string | NodeJS.ArrayBufferView): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}
