/**
 * The command line of scripts/run-parallel-full.ts, parsed strictly and with no side effects, so that a mistyped
 * option stops the script before anything trains or any file is written (the script prints the error and
 * {@link USAGE}). The notebook (02, 06 or 07) may stand anywhere among the arguments, exactly once; every value option
 * needs a value that is not another option; an unknown option is an error.
 */

export type FullNotebook = "02" | "06" | "07";
export type FullBackend = "pool" | "simd" | "wasm";

export interface FullRunArgs {
  notebook: FullNotebook;
  /** Default "pool". 02 ignores it (its runs use tfjs-wasm), but a given value must still be valid. */
  backend: FullBackend;
  /** A whole number ≥ 1, or undefined when not given. */
  workers: number | undefined;
  /** Label prefix of the runs to pick (06, 07; 02 ignores it). */
  only: string | undefined;
  status: boolean;
  prune: boolean;
}

/** A mistake on the command line: the script prints the message and the usage, and does nothing else. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export const USAGE = `usage: npx tsx scripts/run-parallel-full.ts 02|06|07 [--backend pool|simd|wasm] [--workers N] [--only <label prefix>] [--status [--prune]]
  --backend     pool (default: one run at a time on two threads), simd (--workers 1: one run at a time on one thread;
                start two such processes to use both cores), wasm
  --workers     worker threads, a whole number >= 1
  --only        runs whose label starts with the prefix, e.g. prog-error/
  --status      train nothing: each run's progress and the training time still to go (06, 07); which runs are stored (02)
  --prune       with --status: also delete checkpoint files no run of the present settings owns (06, 07)
02 ignores --backend and --only. The comment at the top of this script says more.`;

const NOTEBOOKS: readonly FullNotebook[] = ["02", "06", "07"];
const BACKENDS: readonly FullBackend[] = ["pool", "simd", "wasm"];
const VALUE_OPTIONS = ["--backend", "--workers", "--only"] as const;
const FLAG_OPTIONS = ["--status", "--prune"] as const;
const ALL_OPTIONS = [...VALUE_OPTIONS, ...FLAG_OPTIONS, "--help"];

/** The parsed options, or null when the usage text was asked for (--help, -h); throws {@link UsageError} otherwise. */
export function parseFullRunArgs(argv: readonly string[]): FullRunArgs | null {
  if (argv.includes("--help") || argv.includes("-h")) return null;
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if ((VALUE_OPTIONS as readonly string[]).includes(a)) {
      const v = argv[i + 1];
      if (v === undefined || v.trim() === "" || v.startsWith("--")) throw new UsageError(`${a} needs a value${v === undefined ? "" : `, got ${JSON.stringify(v)}`}`);
      if (values.has(a)) throw new UsageError(`${a} is given twice`);
      values.set(a, v);
      i++;
    } else if ((FLAG_OPTIONS as readonly string[]).includes(a)) flags.add(a);
    else if (a.startsWith("-")) throw new UsageError(`unknown option ${a}; the options are ${ALL_OPTIONS.join(", ")}`);
    else positional.push(a);
  }
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? "name the notebook: 02, 06 or 07" : `name one notebook (02, 06 or 07), got ${positional.join(", ")}`);
  const notebook = positional[0] as FullNotebook;
  if (!NOTEBOOKS.includes(notebook)) throw new UsageError(`the notebook must be 02, 06 or 07, got ${JSON.stringify(positional[0])}`);
  const backend = (values.get("--backend") ?? "pool") as FullBackend;
  if (!BACKENDS.includes(backend)) throw new UsageError(`--backend must be pool, simd or wasm, got ${JSON.stringify(backend)}`);
  const w = values.get("--workers");
  if (w !== undefined && !(/^[0-9]+$/.test(w) && Number(w) >= 1)) throw new UsageError(`--workers must be a whole number >= 1, got ${JSON.stringify(w)}`);
  const workers = w === undefined ? undefined : Number(w);
  const only = values.get("--only");
  const status = flags.has("--status");
  const prune = flags.has("--prune");
  if (prune && !status) throw new UsageError("--prune goes with --status");
  if (prune && notebook === "02") throw new UsageError("--prune covers the checkpoints of 06 and 07; 02 has none");
  if (prune && only !== undefined) throw new UsageError("--prune goes without --only: only the whole set of runs tells which checkpoint files are orphans");
  return { notebook, backend, workers, only, status, prune };
}

/**
 * The runs whose label starts with `only` (all of them when it is undefined); throws {@link UsageError} naming the
 * prefix and the labels' first parts when none does.
 */
export function selectRuns<T extends { label: string }>(all: readonly T[], only: string | undefined, notebook: string): T[] {
  if (only === undefined) return [...all];
  const chosen = all.filter((j) => j.label.startsWith(only));
  if (chosen.length === 0) {
    const prefixes = [...new Set(all.map((j) => `${j.label.split("/")[0]}${j.label.includes("/") ? "/" : ""}`))];
    throw new UsageError(`--only ${JSON.stringify(only)} matches none of notebook ${notebook}'s ${all.length} runs; their labels start with ${prefixes.join(", ")}`);
  }
  return chosen;
}
