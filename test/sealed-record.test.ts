/** Sealed records (src/util/sealed-record.ts): what the two stores of finished results share. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readSealedRecord, sha256Hex, writeSealedRecord, type SealedRecordCheck } from "../src/util/sealed-record";

class Refused extends Error {}

function withDir(body: (dir: string) => void): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "imc-sealed-"));
  try {
    body(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const check = (key: string): SealedRecordCheck => ({
  format: "test/1",
  key,
  sha256Of: (r) => sha256Hex(JSON.stringify(r.value) ?? ""),
  refuse: (reason) => new Refused(reason),
});

test("sha256Hex gives the standard digest", () => {
  // FIPS 180-2 test vector for "abc".
  assert.is(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
});

test("a record reads back as written; a missing file is null", () => {
  withDir((dir) => {
    const file = path.join(dir, "r.json");
    assert.is(readSealedRecord(file, check("k1")), null);
    writeSealedRecord(file, { format: "test/1", key: "k1", sha256: sha256Hex(JSON.stringify({ a: 1 })), value: { a: 1 } });
    assert.equal(readSealedRecord(file, check("k1"))?.value, { a: 1 });
    assert.ok(fs.readFileSync(file, "utf8").endsWith("}\n"), "one line of JSON");
  });
});

test("non-object JSON, another format or key, and a changed value are refused, and the file is kept", () => {
  withDir((dir) => {
    const file = path.join(dir, "r.json");
    const refused = (text: string, reason: RegExp) => {
      fs.writeFileSync(file, text);
      assert.throws(() => readSealedRecord(file, check("k1")), (e: unknown) => e instanceof Refused && reason.test((e as Error).message));
      assert.ok(fs.existsSync(file));
    };
    const good = { format: "test/1", key: "k1", sha256: sha256Hex("2"), value: 2 };
    refused("[1, 2]", /format is undefined/);
    refused("null", /format is undefined/);
    refused("{ \"format\": ", /not valid JSON/);
    refused(JSON.stringify({ ...good, format: "test/0" }), /format is "test\/0", expected "test\/1"/);
    refused(JSON.stringify({ ...good, key: "k2" }), /another configuration \(key k2; the requested key is k1\)/);
    refused(JSON.stringify({ ...good, value: 3 }), /SHA-256 mismatch/);
    fs.writeFileSync(file, JSON.stringify(good));
    assert.is(readSealedRecord(file, check("k1"))?.value, 2);
  });
});

test.run();
