/**
 * Every parameter preset in src/ states where each of its values comes from. A preset is any exported object
 * with a `provenance` record, or with one `source` text that covers all its fields (the digital platform's specs); the test finds them by importing every module under src/, so a new preset is
 * covered without being listed here (as aihwkit runs its preset tests over all presets).
 *
 * Rules checked:
 * - every numeric, boolean, array or object field (other than `label`/`name`/`provenance`) is named by a
 *   provenance key; a key may name several fields ("gMinUS, gMaxUS"), `all` covers every field, and an object
 *   field may instead be covered field by field with dotted keys ("periphery.inputBits");
 * - every provenance text opens with a declared kind: paper text, public model, public fact, fitted, assumed,
 *   derived (computed from other modelled quantities), ideal reference, placeholder; and says more than the
 *   kind (a bare "assumed" gives no reason).
 */
import * as fs from "fs";
import * as path from "path";
import { test } from "uvu";
import * as assert from "uvu/assert";

const SRC = path.join(__dirname, "..", "src");
const KINDS = /^(paper text|public model|public fact|fitted|assumed|derived|ideal reference|placeholder)\b/;
const UNNAMED = new Set(["label", "name", "provenance"]);

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith(".ts") && !e.name.includes("worker") ? [path.join(dir, e.name)] : []))
    .sort();
}

interface Preset {
  where: string;
  value: Record<string, unknown>;
  provenance: Record<string, unknown>;
}

async function presets(): Promise<Preset[]> {
  const found: Preset[] = [];
  for (const file of sourceFiles(SRC)) {
    const mod = (await import(file)) as Record<string, unknown>;
    for (const [name, v] of Object.entries(mod)) {
      if (!v || typeof v !== "object" || Array.isArray(v)) continue;
      const prov = (v as { provenance?: unknown }).provenance;
      const source = (v as { source?: unknown }).source;
      const where = `${path.relative(SRC, file)} ${name}`;
      if (prov && typeof prov === "object") found.push({ where, value: v as Record<string, unknown>, provenance: prov as Record<string, unknown> });
      // The digital platform's specs (GPU, SSD, workload) carry one `source` text for the whole object.
      else if (typeof source === "string") found.push({ where, value: v as Record<string, unknown>, provenance: { all: source } });
    }
  }
  return found;
}

/** The fields a preset's provenance keys name. */
function namedFields(provenance: Record<string, unknown>): Set<string> {
  return new Set(Object.keys(provenance).flatMap((k) => k.split(/,\s*/)));
}

/** Fields of `value` that need a provenance and are not named. */
function unnamedFields(value: Record<string, unknown>, provenance: Record<string, unknown>): string[] {
  const named = namedFields(provenance);
  if (named.has("all")) return [];
  return Object.entries(value)
    .filter(([k, x]) => !UNNAMED.has(k) && (typeof x === "number" || typeof x === "boolean" || (typeof x === "object" && x !== null)))
    .filter(([k, x]) => {
      if (named.has(k)) return false;
      if (typeof x === "object" && x !== null && !Array.isArray(x)) {
        const sub = Object.entries(x as Record<string, unknown>).filter(([, y]) => typeof y === "number" || typeof y === "boolean");
        return sub.length === 0 || !sub.every(([s]) => named.has(`${k}.${s}`));
      }
      return true;
    })
    .map(([k]) => k);
}

test("the rule itself: unnamed fields are found, named ones (single, grouped, dotted, all) are not", () => {
  const v = { a: 1, b: 2, c: true, d: [1, 2], e: { x: 1, y: 2 }, label: "x" };
  assert.equal(unnamedFields(v, { a: "paper text" }), ["b", "c", "d", "e"]);
  assert.equal(unnamedFields(v, { "a, b": "", c: "", d: "", "e.x": "" }), ["e"], "a dotted key must cover every numeric subfield");
  assert.equal(unnamedFields(v, { "a, b": "", c: "", d: "", "e.x": "", "e.y": "" }), []);
  assert.equal(unnamedFields(v, { all: "ideal reference" }), []);
});

test("every preset in src/ names a provenance for each of its values", async () => {
  const all = await presets();
  assert.ok(all.length >= 20, `found ${all.length} presets; the import scan is broken if it finds only a few`);
  const gaps = all.map((p) => ({ where: p.where, missing: unnamedFields(p.value, p.provenance) })).filter((g) => g.missing.length > 0);
  assert.equal(gaps, [], gaps.map((g) => `${g.where}: ${g.missing.join(", ")}`).join("; "));
});

test("every provenance opens with a declared kind and gives a reason", async () => {
  const bad: string[] = [];
  for (const p of await presets())
    for (const [key, text] of Object.entries(p.provenance)) {
      const t = typeof text === "string" ? text.trim() : "";
      const reason = t.replace(KINDS, "").replace(/^[\s:(),]+/, "");
      if (!KINDS.test(t) || reason.length < 10) bad.push(`${p.where}.${key}: ${JSON.stringify(t.slice(0, 60))}`);
    }
  assert.equal(bad, [], bad.join("; "));
});

test.run();
