/** src/util/atomic-write.ts: the one write path of checkpoints, records, metrics and reports. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { writeFileAtomic } from "../src/util/atomic-write";

test("writeFileAtomic creates the folder, replaces the file whole and leaves no temporary file", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "atomic-"));
  const file = path.join(dir, "a", "b", "x.json");
  writeFileAtomic(file, "first\n");
  assert.is(fs.readFileSync(file, "utf8"), "first\n");
  writeFileAtomic(file, Buffer.from([1, 2, 3]));
  assert.equal([...fs.readFileSync(file)], [1, 2, 3]);
  assert.equal(fs.readdirSync(path.dirname(file)), ["x.json"]);
  fs.rmSync(dir, { recursive: true });
});

test.run();
