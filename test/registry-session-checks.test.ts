/**
 * Robustness of the registry loader, the metrics files, the runner's mode flags and the notebook session:
 * malformed inputs fail at once with a message naming the file, entry, id or figure, instead of being accepted
 * silently or failing later with a bare TypeError. Everything is written under os.tmpdir().
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildReport, loadMetricsFiles, loadRegistry, metricsFileMismatch, readJsonFile, type RegistryEntry } from "../src/registry/checker";
import { reportMarkdown } from "../src/registry/report-markdown";
import { NotebookSession, openNotebook } from "../src/notebook/session";

const projectRoot = path.resolve(__dirname, "..");

const base: RegistryEntry = {
  id: "demo.device.ratio", paper: "Demo", figure: "Fig 1", statement: "a ratio", published: 50, unit: "ratio", kind: "prediction",
  check: { type: "relative", tol: 0.1 }, tolerance: "test", modes: ["quick", "full"], notebook: "99-demo",
};

/** A temporary project root whose data/published/demo.json holds `entries` (written as given, or raw text). */
function tempRoot(entries: unknown[] | string): { root: string; dir: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "registry-session-checks-"));
  const dir = path.join(root, "data", "published");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "demo.json"), typeof entries === "string" ? entries : JSON.stringify(entries, null, 2));
  return { root, dir };
}

/** Run `fn` with a temp registry of `entries`, then remove it; returns what fn returns. */
function withRegistry<T>(entries: unknown[] | string, fn: (dir: string, root: string) => T): T {
  const { root, dir } = tempRoot(entries);
  try {
    return fn(dir, root);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** The error message `fn` throws ("" when it does not throw). */
function thrown(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  return "";
}

/** Run `fn` with IMC_QUIET=1, no IMC_METRICS_FILE and the given IMC_MODE, restoring the environment after. */
async function withEnv<T>(imcMode: string | undefined, fn: () => T | Promise<T>): Promise<T> {
  const saved = { quiet: process.env.IMC_QUIET, metrics: process.env.IMC_METRICS_FILE, mode: process.env.IMC_MODE };
  process.env.IMC_QUIET = "1";
  delete process.env.IMC_METRICS_FILE;
  if (imcMode === undefined) delete process.env.IMC_MODE;
  else process.env.IMC_MODE = imcMode;
  try {
    return await fn();
  } finally {
    for (const [k, v] of [["IMC_QUIET", saved.quiet], ["IMC_METRICS_FILE", saved.metrics], ["IMC_MODE", saved.mode]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

// 1. JSON syntax errors name the file; a byte-order mark is ignored.

test("a JSON syntax error in a registry or metrics file names the file; a leading BOM is ignored", () => {
  withRegistry(`[${JSON.stringify(base)},]`, (dir) => {
    const msg = thrown(() => loadRegistry(dir));
    assert.match(msg, /demo\.json/);
    assert.match(msg, /not valid JSON/);
  });
  withRegistry("\uFEFF" + JSON.stringify([base]), (dir) => assert.is(loadRegistry(dir).length, 1));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "registry-session-checks-metrics-"));
  try {
    fs.writeFileSync(path.join(dir, "99-demo.quick.json"), '{"notebook": "99-demo", "mode": "quick", "metrics": {]}');
    assert.match(thrown(() => loadMetricsFiles(dir, "quick")), /99-demo\.quick\.json: not valid JSON/);
    fs.writeFileSync(path.join(dir, "99-demo.quick.json"), "\uFEFF" + JSON.stringify({ notebook: "99-demo", mode: "quick", metrics: {} }));
    assert.equal(readJsonFile(path.join(dir, "99-demo.quick.json")), { notebook: "99-demo", mode: "quick", metrics: {} });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// 2. Registry validation.

test("the registry rejects an unknown field in an entry or a check (e.g. knownMissMode for knownMissModes)", () => {
  const typo = { ...base, knownMiss: "the model lacks the mechanism that makes this happen", knownMissMode: ["full"] };
  withRegistry([typo], (dir) => assert.match(thrown(() => loadRegistry(dir)), /demo\.json: entry "demo\.device\.ratio": unknown field\(s\) knownMissMode/));
  withRegistry([{ ...base, check: { type: "atLeast", bound: 1, hi: 2 } }], (dir) => assert.match(thrown(() => loadRegistry(dir)), /check of type atLeast has unknown field\(s\) hi/));
  // Every documented field is accepted.
  const full = { ...base, kind: "calibration", calibratedBy: "fitted", predicate: "p", quickCheck: { type: "relative", tol: 0.2 }, knownMiss: "the model lacks the mechanism that makes this happen", knownMissModes: ["full"] };
  withRegistry([full, { ...base, id: "demo.device.gap", notReproduced: "no notebook can compute this number here" }], (dir) => assert.is(loadRegistry(dir).length, 2));
});

test("the registry rejects an entry whose notebook has no notebooks/<name>.ipynb (checked only when the folder exists)", () => {
  withRegistry([base], (dir, root) => {
    assert.is(loadRegistry(dir).length, 1, "no notebooks/ folder beside the temp registry: not checked");
    fs.mkdirSync(path.join(root, "notebooks"));
    fs.writeFileSync(path.join(root, "notebooks", "99-demo.ipynb"), "{}");
    assert.is(loadRegistry(dir).length, 1);
    fs.rmSync(path.join(root, "notebooks", "99-demo.ipynb"));
    assert.match(thrown(() => loadRegistry(dir)), /entry "demo\.device\.ratio": notebook "99-demo" does not exist/);
    assert.is(loadRegistry(dir, null).length, 1, "null skips the check");
    assert.match(thrown(() => loadRegistry(dir, path.join(root, "elsewhere"))), /notebook "99-demo" does not exist/);
  });
});

test("the registry applies the numeric-published rule to quickCheck and rejects a relative check against 0", () => {
  const qualitative = { ...base, published: "rises", kind: "qualitative", predicate: "p", check: { type: "atLeast", bound: 1 } };
  withRegistry([qualitative], (dir) => assert.is(loadRegistry(dir).length, 1));
  withRegistry([{ ...qualitative, quickCheck: { type: "relative", tol: 0.5 } }], (dir) => assert.match(thrown(() => loadRegistry(dir)), /quickCheck: relative\/absolute checks need a numeric published value/));
  withRegistry([{ ...qualitative, quickCheck: { type: "absolute", tol: 1 } }], (dir) => assert.match(thrown(() => loadRegistry(dir)), /quickCheck: relative\/absolute/));
  withRegistry([{ ...base, published: 0 }], (dir) => assert.match(thrown(() => loadRegistry(dir)), /check: a relative check against published 0/));
  withRegistry([{ ...base, published: 0, check: { type: "absolute", tol: 1 }, quickCheck: { type: "relative", tol: 0.5 } }], (dir) => assert.match(thrown(() => loadRegistry(dir)), /quickCheck: a relative check against published 0/));
  withRegistry([{ ...base, published: 0, check: { type: "absolute", tol: 1 } }], (dir) => assert.is(loadRegistry(dir).length, 1));
});

test("the registry rejects a null entry (naming file and index) and a calibratedBy that is not a string", () => {
  withRegistry([base, null], (dir) => {
    const msg = thrown(() => loadRegistry(dir));
    assert.match(msg, /registry demo\.json: entry #1: expected an object, got null/);
  });
  withRegistry([{ ...base, kind: "calibration", calibratedBy: 3 }], (dir) => assert.match(thrown(() => loadRegistry(dir)), /calibratedBy must be a non-empty string/));
  withRegistry([{ ...base, calibratedBy: ["fit"] }], (dir) => assert.match(thrown(() => loadRegistry(dir)), /calibratedBy must be a non-empty string/));
});

test("the real registry loads with every check on, and every nb.record in notebooks/ names an existing id", () => {
  const registry = loadRegistry(path.join(projectRoot, "data", "published"), path.join(projectRoot, "notebooks"));
  assert.ok(registry.length > 50);
  assert.is(loadRegistry(path.join(projectRoot, "data", "published")).length, registry.length);
  const ids = new Map(registry.map((e) => [e.id, e]));
  let calls = 0;
  for (const f of fs.readdirSync(path.join(projectRoot, "notebooks")).filter((x) => x.endsWith(".ipynb"))) {
    const nb = JSON.parse(fs.readFileSync(path.join(projectRoot, "notebooks", f), "utf8")) as { cells: { cell_type: string; source: string[] | string }[] };
    const code = nb.cells.filter((c) => c.cell_type === "code").map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source)).join("\n");
    for (const m of code.matchAll(/\bnb\.record\(\s*([^,]+),/g)) {
      calls++;
      const lit = /^"([^"]+)"$/.exec(m[1].trim());
      assert.ok(lit, `${f}: nb.record with a non-literal id ${m[1]}`);
      assert.ok(ids.has(lit![1]), `${f}: nb.record("${lit![1]}") is not in the registry`);
      assert.is(ids.get(lit![1])!.notebook, f.replace(/\.ipynb$/, ""), `${lit![1]} is recorded by ${f}`);
    }
  }
  assert.ok(calls > 50, `found ${calls} nb.record calls`);
});

// 3. record() checks the id and the value's type.

const boolEntry = { ...base, id: "demo.device.trend", kind: "qualitative", published: "rises", predicate: "p", check: { type: "true" } };
const quickBool = { ...base, id: "demo.device.mixed", check: { type: "atLeast", bound: 1 }, quickCheck: { type: "true" } };

test("record() throws a RangeError on an id not in the registry, suggesting ids with the same prefix, and writes nothing", async () => {
  await withEnv(undefined, () =>
    withRegistry([base, boolEntry], (_dir, root) => {
      const nb = new NotebookSession("99-demo", "quick", root);
      let err: unknown;
      try {
        nb.record("demo.device.ratoi", 1);
      } catch (e) {
        err = e;
      }
      assert.instance(err, RangeError);
      assert.match((err as Error).message, /demo\.device\.ratoi is not in the registry/);
      assert.match((err as Error).message, /similar ids: demo\.device\.ratio, demo\.device\.trend/);
      assert.equal(nb.recorded(), {});
      const staged = JSON.parse(fs.readFileSync(path.join(root, "figures", ".staging", "99-demo.quick.json"), "utf8"));
      assert.equal(staged.metrics, {});
    }),
  );
});

test("record() rejects undefined, null and a value of the wrong type for the entry's check, naming id and type", async () => {
  await withEnv(undefined, () =>
    withRegistry([base, boolEntry, quickBool], (_dir, root) => {
      const nb = new NotebookSession("99-demo", "quick", root);
      const bad = (id: string, v: unknown) => thrown(() => nb.record(id, v as number));
      assert.match(bad("demo.device.ratio", undefined), /metric demo\.device\.ratio: its relative check needs a number, got undefined/);
      assert.match(bad("demo.device.ratio", null), /demo\.device\.ratio: .*needs a number, got null/);
      assert.match(bad("demo.device.ratio", "51"), /needs a number, got a string/);
      assert.match(bad("demo.device.ratio", true), /needs a number, got a boolean/);
      assert.match(bad("demo.device.trend", 1), /metric demo\.device\.trend: its true check needs a boolean, got a number/);
      assert.match(bad("demo.device.trend", undefined), /needs a boolean, got undefined/);
      // The check of the session's mode decides (quickCheck in quick mode).
      assert.match(bad("demo.device.mixed", 3), /needs a boolean/);
      assert.equal(nb.recorded(), {});
      nb.record("demo.device.ratio", 51);
      nb.record("demo.device.trend", false);
      nb.record("demo.device.mixed", true);
      assert.equal(nb.recorded(), { "demo.device.ratio": { measured: 51 }, "demo.device.trend": { measured: false }, "demo.device.mixed": { measured: true } });
      const full = new NotebookSession("99-demo", "full", root);
      full.record("demo.device.mixed", 3);
      assert.match(thrown(() => full.record("demo.device.mixed", true)), /atLeast check needs a number/);
    }),
  );
});

// 4. Mode validation.

test("openNotebook and the session reject an invalid mode; an invalid IMC_MODE is named", async () => {
  await withEnv(undefined, () => {
    const msg = thrown(() => openNotebook("99-demo", { mode: "Full" as "full" }));
    assert.match(msg, /openNotebook\("99-demo"\): mode must be "quick" or "full", got "Full"/);
    assert.match(thrown(() => new NotebookSession("99-demo", "Full" as "full", os.tmpdir())), /mode must be "quick" or "full", got "Full"/);
  });
  await withEnv("FULL", () => assert.match(thrown(() => openNotebook("99-demo")), /IMC_MODE must be "quick" or "full", got "FULL"/));
});

test("openNotebook refuses a name other than the notebook the headless runner executes (IMC_NOTEBOOK), before writing anything", async () => {
  await withEnv(undefined, () => {
    const saved = process.env.IMC_NOTEBOOK;
    try {
      process.env.IMC_NOTEBOOK = "11-my-device";
      assert.match(thrown(() => openNotebook("04-xor-mtt")), /openNotebook\("04-xor-mtt"\): this kernel runs notebooks\/11-my-device\.ipynb/);
      assert.is(openNotebook("11-my-device", { mode: "quick" }).name, "11-my-device");
      delete process.env.IMC_NOTEBOOK; // interactive sessions are not checked
      assert.is(openNotebook("04-xor-mtt", { mode: "quick" }).name, "04-xor-mtt");
    } finally {
      if (saved === undefined) delete process.env.IMC_NOTEBOOK;
      else process.env.IMC_NOTEBOOK = saved;
    }
  });
});

/** Run scripts/reproduce.ts with arguments that stop it in its option parsing (never running a notebook). */
function reproduce(args: string[], imcMode: string): { status: number | null; out: string } {
  assert.ok(args.includes("--help") || args.includes("--jobs"), "only --help or a bad --jobs, which stop before anything runs");
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(projectRoot, "scripts", "reproduce.ts"), ...args], {
    cwd: projectRoot, env: { ...process.env, IMC_MODE: imcMode }, encoding: "utf8", timeout: 60_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test("reproduce.ts: --full/--quick take precedence over IMC_MODE, which is read only without a flag and is named when invalid", () => {
  const help = reproduce(["--help"], "FULL");
  assert.is(help.status, 0, help.out);
  assert.match(help.out, /^usage:/);
  // --jobs 0 is refused after the mode is settled: the message says which check stopped the run.
  const flagged = reproduce(["--full", "--jobs", "0"], "FULL");
  assert.is(flagged.status, 1);
  assert.match(flagged.out, /--jobs must be a positive integer/);
  const env = reproduce(["--jobs", "0"], "FULL");
  assert.is(env.status, 1);
  assert.match(env.out, /IMC_MODE must be "quick" or "full", got "FULL"/);
});

// 5. Metrics files of another notebook or mode.

test("the runner's promote check and buildReport refuse a metrics file of another notebook or mode, naming it", () => {
  assert.is(metricsFileMismatch({ notebook: "01-demo", mode: "quick", metrics: {} }, "01-demo", "quick"), null);
  assert.match(metricsFileMismatch({ notebook: "01-demo", mode: "full", metrics: {} }, "01-demo", "quick") ?? "", /mode "full", expected "quick"/);
  assert.match(metricsFileMismatch({ notebook: "02-other", mode: "quick", metrics: {} }, "01-demo", "quick") ?? "", /notebook "02-other", expected "01-demo"/);
  assert.match(metricsFileMismatch({ notebook: "01-demo", mode: "quick" }, "01-demo", "quick") ?? "", /metrics field/);
  assert.match(metricsFileMismatch(null, "01-demo", "quick") ?? "", /not a metrics object/);

  const entry = { ...base, notebook: "01-demo" };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "registry-session-checks-metrics-"));
  try {
    const file = path.join(dir, "01-demo.quick.json");
    fs.writeFileSync(file, JSON.stringify({ notebook: "01-demo", mode: "quick", metrics: { "demo.device.ratio": { measured: 51 } } }));
    assert.is(buildReport([entry], loadMetricsFiles(dir, "quick"), "quick", "t").summary.pass, 1);
    fs.writeFileSync(file, JSON.stringify({ notebook: "01-demo", mode: "full", metrics: { "demo.device.ratio": { measured: 51 } } }));
    assert.match(thrown(() => buildReport([entry], loadMetricsFiles(dir, "quick"), "quick", "t")), /metrics file .*01-demo\.quick\.json: it says mode "full", expected "quick"/);
    fs.writeFileSync(file, JSON.stringify({ notebook: "02-other", mode: "quick", metrics: { "demo.device.ratio": { measured: 51 } } }));
    assert.match(thrown(() => buildReport([entry], loadMetricsFiles(dir, "quick"), "quick", "t")), /01-demo\.quick\.json: it says notebook "02-other"/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  // A consistent file read from disk for the other mode is an error too, not silently skipped.
  const fullFile = { notebook: "01-demo", mode: "full" as const, metrics: {}, file: "/x/01-demo.full.json" };
  assert.match(thrown(() => buildReport([entry], [fullFile], "quick", "t")), /01-demo\.full\.json is a full-mode file, but the report is for quick mode/);
});

// 6. Figures.

test("figure() names the figure when rendering fails and refuses a figure too large to rasterise", async () => {
  await withEnv(undefined, async () => {
    const { root } = tempRoot([base]);
    try {
      const nb = new NotebookSession("99-demo", "quick", root);
      const point = { data: { values: [{ x: 1, y: 2 }] }, mark: "point", encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } } };
      const fails = async (name: string, spec: Record<string, unknown>) => {
        try {
          await nb.figure(name, spec);
        } catch (err) {
          return (err as Error).message;
        }
        return "";
      };
      const bad = await fails("bad-mark", { ...point, mark: { type: "no-such-mark" } });
      assert.match(bad, /^figure bad-mark: rendering failed: ./);
      const wide = await fails("too-wide", { ...point, width: 20000, height: 300 });
      assert.match(wide, /^figure too-wide: width × height 20000 × 300 would rasterise to 24 megapixels at scale 2/);
      const faceted = await fails("too-many-facets", { data: point.data, facet: { row: { field: "y" } }, spec: { mark: "point", width: 5000, height: 5000, encoding: point.encoding } });
      assert.match(faceted, /^figure too-many-facets: width × height 5000 × 5000/);
      const concat = await fails("too-wide-concat", { data: point.data, hconcat: Array.from({ length: 4 }, () => ({ mark: "point", width: 2000, height: 800, encoding: point.encoding })) });
      assert.match(concat, /^figure too-wide-concat: the rendered size \d+ × \d+ would rasterise/);
      assert.not.ok(fs.existsSync(path.join(root, "figures", "99-demo")), "nothing written for refused figures");
      await nb.figure("fine", { ...point, width: 2000, height: 1000 });
      assert.ok(fs.existsSync(path.join(root, "figures", "99-demo", "fine.png")));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

// 7. Markdown report cells.

test("a newline in a note (or any cell) does not break its row of the Markdown report", () => {
  const r = buildReport([{ ...base, figure: "Fig 1\nb", notebook: "01-demo" }], [{ notebook: "01-demo", mode: "quick", metrics: { "demo.device.ratio": { measured: 51, note: "first line\nsecond line\r\nthird" } } }], "quick", "t");
  const row = reportMarkdown(r).split("\n").find((l) => l.includes("demo.device.ratio"));
  assert.ok(row);
  assert.match(row!, /^\| pass \| .* \| first line second line third \|$/);
  assert.match(row!, /\| `demo\.device\.ratio` \| Demo \| Fig 1 b \| prediction \|/, "each row names its paper, then its figure");
});

test.run();
