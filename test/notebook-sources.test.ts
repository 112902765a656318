/**
 * The runner's source digests (scripts/notebook-sources.ts): which src/ files a notebook's values depend on, and
 * which edits make its stored metrics stale. Built on a small project in a temporary folder.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { notebookModuleFiles, notebookSources, staleReason } from "../scripts/notebook-sources";

function write(root: string, file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), text);
}

function notebook(code: string[], markdown = "# Demo"): string {
  const cells = [{ cell_type: "markdown", source: [markdown] }, ...code.map((c) => ({ cell_type: "code", source: c.split(/(?<=\n)/), outputs: [] }))];
  return JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 });
}

/** A project whose notebook loads one → two (a relative import) → the worker started by name; `unused.ts` is not loaded. */
function demoProject(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "imc-sources-"));
  write(root, "notebooks/01-demo.ipynb", notebook(['import { one } from "./src/a/one";\nimport type { T } from "./src/a/types";\n', "one();\n"]));
  write(root, "src/a/one.ts", 'import { two } from "../b/two";\nexport const one = () => two();\n');
  write(root, "src/a/types.ts", "export type T = number;\n");
  write(root, "src/b/two.ts", 'import * as path from "path";\nexport const two = () => path.join(__dirname, "demo-worker.ts");\n');
  write(root, "src/c/demo-worker.ts", 'import { helper } from "./helper";\nhelper();\n');
  write(root, "src/c/helper.ts", "export const helper = () => 1;\n");
  write(root, "src/d/unused.ts", "export const unused = 1;\n");
  write(root, "package-lock.json", '{ "lockfileVersion": 3 }\n');
  write(root, "tsconfig.json", '{ "compilerOptions": { "target": "ES2022" } }\n');
  return root;
}

test("a notebook loads its imports, their relative imports, type-only ones, and workers started by file name", () => {
  const root = demoProject();
  try {
    assert.equal(notebookModuleFiles(root, path.join(root, "notebooks/01-demo.ipynb")), ["src/a/one.ts", "src/a/types.ts", "src/b/two.ts", "src/c/demo-worker.ts", "src/c/helper.ts"]);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("digests: a loaded module, the lock file or tsconfig.json changes `modules`, a code cell changes `cells`; markdown and unloaded modules change neither", () => {
  const root = demoProject();
  try {
    const before = notebookSources(root, "01-demo");
    assert.equal(notebookSources(root, "01-demo"), before, "the same files give the same digests");
    write(root, "src/d/unused.ts", "export const unused = 2;\n");
    write(root, "notebooks/01-demo.ipynb", notebook(['import { one } from "./src/a/one";\nimport type { T } from "./src/a/types";\n', "one();\n"], "# Edited prose"));
    assert.equal(notebookSources(root, "01-demo"), before);

    write(root, "src/c/helper.ts", "export const helper = () => 2;\n");
    const helperEdited = notebookSources(root, "01-demo");
    assert.is(helperEdited.cells, before.cells);
    assert.is.not(helperEdited.modules, before.modules);
    assert.is(staleReason(before, helperEdited), "the src/ modules it loads (or package-lock.json, tsconfig.json) changed since it ran");

    write(root, "package-lock.json", '{ "lockfileVersion": 3, "packages": {} }\n');
    const lockEdited = notebookSources(root, "01-demo");
    assert.is.not(lockEdited.modules, helperEdited.modules);
    write(root, "tsconfig.json", '{ "compilerOptions": { "target": "ES2020" } }\n');
    assert.is.not(notebookSources(root, "01-demo").modules, lockEdited.modules, "compiler options count");

    write(root, "notebooks/01-demo.ipynb", notebook(['import { one } from "./src/a/one";\nimport type { T } from "./src/a/types";\n', "one();\none();\n"]));
    const now = notebookSources(root, "01-demo");
    assert.is.not(now.cells, before.cells);
    assert.is(staleReason(before, now), "its code cells and the src/ modules it loads (or package-lock.json, tsconfig.json) changed since it ran");
    assert.is(staleReason(now, now), null);
    assert.match(staleReason(undefined, now) ?? "", /no source digests/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("the project's notebooks: 06 loads the run layer and its worker entries, 01 the ECRAM model but not the CMO/HfOx one", () => {
  const root = path.join(__dirname, "..");
  const files06 = notebookModuleFiles(root, path.join(root, "notebooks", "06-continual-large.ipynb"));
  for (const f of ["src/runs/parallel-runs.ts", "src/runs/parallel-runs-worker.ts", "src/nn/parallel-worker.ts"]) assert.ok(files06.includes(f), f);
  const files01 = notebookModuleFiles(root, path.join(root, "notebooks", "01-ecram-device.ipynb"));
  assert.ok(files01.includes("src/devices/ecram.ts"));
  assert.not.ok(files01.includes("src/devices/cmo-hfox.ts"));
});

test.run();
