import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { joinCodeCells, typecheckNotebooks } from "../scripts/typecheck-notebooks";

const ROOT = path.join(__dirname, "..");
const notebook = (cells: [string, string][]) => JSON.stringify({ cells: cells.map(([t, s]) => ({ cell_type: t, source: s.split(/(?<=\n)/) })) });

test("joinCodeCells: code cells only, each cell's first line remembered (markdown cells keep their index)", () => {
  const j = joinCodeCells(notebook([["markdown", "# t\n"], ["code", "const a = 1;\nconst b = 2;"], ["markdown", "x"], ["code", "a + b;\n"]]), "/x.ts");
  assert.equal(j.cells, [{ cell: 1, startLine: 0 }, { cell: 3, startLine: 2 }]);
  assert.is(j.text, "const a = 1;\nconst b = 2;\na + b;\nexport {};\n");
});

test("typecheckNotebooks: a type error and an unclosed parenthesis are reported at their own cell and line; src imports resolve", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "imc-nbcheck-"));
  try {
    const file = path.join(dir, "t.ipynb");
    fs.writeFileSync(file, notebook([
      ["markdown", "# title\n"],
      ["code", 'import { createRng } from "./src/util/rng";\nconst r = createRng(1);\n'],
      ["code", "const u: number = r.uniform();\nconst s: string = u;\n"],
      ["code", 'console.log(("x" +\n  (u > 0 ? "y" : "z"));\n'],
      ["code", "console.log(s.length);\n"],
    ]));
    const ds = typecheckNotebooks([file], ROOT);
    assert.equal(ds.map((d) => [d.cell, d.line]), [[3, 2], [2, 2]], JSON.stringify(ds));
    assert.match(ds[1].message, /not assignable to type 'string'/);
    assert.match(ds[0].message, /'\)' expected/);
    fs.writeFileSync(file, notebook([["code", 'import { createRng } from "./src/util/rng";\nconsole.log(createRng(1).uniform());\n']]));
    assert.equal(typecheckNotebooks([file], ROOT), [], "a correct notebook has no diagnostics");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
