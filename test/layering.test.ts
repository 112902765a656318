/**
 * The tree follows the physics stack (src/README.md): a module imports only from its own folder and from the
 * folders listed before it. This test reads every import statement under src/ and fails on one that reaches
 * up the stack, unless it is one of the few exceptions src/README.md names (listed here by file pair, so a new
 * exception has to be added on purpose).
 */
import * as fs from "fs";
import * as path from "path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { importStatements } from "../scripts/import-statements";
import { typeScriptFilesUnder } from "../scripts/notebook-sources";

const SRC = path.join(__dirname, "..", "src");

/** The stack, bottom first, as src/README.md lists it. */
const LAYERS = ["util", "devices", "mtt", "array", "nn", "runs", "energy", "experiments", "plot", "notebook", "registry"];

/**
 * Upward imports that src/README.md declares: "from → to" (paths below src/, without .ts). Type-only imports of a
 * scheme defined higher up, and the session asking the checker for verdicts.
 */
const DECLARED_UPWARD = new Set([
  "devices/ecram-schemes → array/write-verify",
  "mtt/rram-programming → array/write-verify",
  "notebook/session → registry/checker",
]);

/** "folder/module" of a file below src/. */
function moduleName(file: string): string {
  return path.relative(SRC, file).replace(/\.ts$/, "").split(path.sep).join("/");
}

test("the import reader finds value, type-only, multi-line and re-export statements", () => {
  const source = [
    'import * as fs from "fs";',
    'import type { Rng } from "../util/rng";',
    "import {",
    "  a,",
    "  type B,",
    '} from "../nn/network";',
    'export { c } from "./c";',
    'import "./side-effect";',
    '// import { x } from "../commented";',
  ].join("\n");
  assert.equal(importStatements(source), [
    { specifier: "fs", typeOnly: false },
    { specifier: "../util/rng", typeOnly: true },
    { specifier: "../nn/network", typeOnly: false },
    { specifier: "./c", typeOnly: false },
    { specifier: "./side-effect", typeOnly: false },
  ]);
});

test("every folder under src/ has a place in the stack", () => {
  const folders = fs.readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  for (const f of folders) assert.ok(LAYERS.includes(f), `src/${f}/ is not in the layer list (test/layering.test.ts, src/README.md)`);
});

test("no module imports from a folder above its own, except the declared ones", () => {
  const upward: string[] = [];
  const used = new Set<string>();
  for (const file of typeScriptFilesUnder(SRC)) {
    const from = moduleName(file);
    const fromLayer = LAYERS.indexOf(from.split("/")[0]);
    for (const { specifier } of importStatements(fs.readFileSync(file, "utf8"))) {
      if (!specifier.startsWith(".")) continue;
      const to = moduleName(path.resolve(path.dirname(file), specifier) + ".ts");
      const toLayer = LAYERS.indexOf(to.split("/")[0]);
      if (toLayer <= fromLayer) continue;
      const pair = `${from} → ${to}`;
      if (DECLARED_UPWARD.has(pair)) used.add(pair);
      else upward.push(pair);
    }
  }
  assert.equal(upward, [], `imports up the stack:\n${upward.join("\n")}`);
  const stale = [...DECLARED_UPWARD].filter((p) => !used.has(p));
  assert.equal(stale, [], `declared exceptions that no longer occur (remove them here and in src/README.md):\n${stale.join("\n")}`);
});

test.run();
