#!/usr/bin/env node
// Starts the tslab kernel with the project root as its working directory.
// tslab 1.0.22 fixes TypeScript's rootDir to the kernel's cwd, so a kernel started in notebooks/ cannot
// import ../src. Jupyter starts kernels in the notebook's folder; this wrapper moves to the project
// root first, so every notebook imports the shared core as "./src/...".
"use strict";
const path = require("path");
const root = path.resolve(__dirname, "..");
process.chdir(root);
const configPath = process.argv[2];
if (!configPath) {
  console.error("usage: kernel.js <connection-file>");
  process.exit(2);
}
// tslab's TypeScript watch program watches every real source file it has compiled; when one changes while
// the kernel runs (someone edits src/), TypeScript schedules a rebuild and the next cell dies with
// "Unexpected pending rebuildTimer". Node's require cache would keep the old module anyway, so real-file
// watching buys nothing here: switch it off (tslab's own in-memory cell files use their own watcher hook).
// After editing src/, restart the kernel.
const ts = require(path.join(root, "node_modules", "@tslab", "typescript-for-tslab"));
const noWatch = () => ({ close() {} });
ts.sys.watchFile = noWatch;
ts.sys.watchDirectory = noWatch;

// Jupyter starts a kernel in a session of its own, so when the process that launched it dies without shutting it
// down (the headless runner kills a notebook at its timeout, a crashed server) nothing else stops it and it runs
// on, finishing its cell and writing figures. Exit once our parent is gone (we have been re-parented).
const launcher = process.ppid;
setInterval(() => {
  if (process.ppid !== launcher) process.exit(1);
}, 2000).unref();

require(path.join(root, "node_modules", "tslab", "dist", "main.js")).startKernel({
  configPath: path.resolve(configPath),
  enableFindLocal: false,
});
