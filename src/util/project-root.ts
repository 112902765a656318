/** Where the project lives on disk: the folder that holds package.json, src/, data/ and figures/. */
import * as fs from "fs";
import * as path from "path";

/**
 * Project root: the nearest folder at or above the working directory that holds package.json and src/ (the kernel
 * wrapper starts tslab at the root, scripts run from there, and tests point it at a temporary project by changing
 * into one); from a working directory outside any project, the folder of this project that holds this module, so
 * that a script started elsewhere still finds the project's data and stored runs.
 */
export function projectRoot(): string {
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json")) && fs.existsSync(path.join(dir, "src"))) return dir;
    if (path.dirname(dir) === dir) return moduleProjectRoot();
  }
}

/** The folder above this module whose package.json names this project (src/util/ → the project root). */
function moduleProjectRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file) && (JSON.parse(fs.readFileSync(file, "utf8")) as { name?: unknown }).name === "analog-imc-papers") return dir;
    if (path.dirname(dir) === dir) return path.resolve(__dirname, "..", "..");
  }
}
