#!/usr/bin/python3
"""Execute one notebook headless on the project's tslab kernel.

Usage: execute_notebook.py IN.ipynb OUT.ipynb TIMEOUT_S

tslab answers a failing cell with an empty error reply and writes the real message to the cell's
stderr stream, so on failure this prints the number and source of the cell the kernel was executing
(recorded as each cell starts) and every stream/error output it produced. Exit status: 0 ok, 1 a cell failed, 2 timeout or kernel death.
"""
import math
import re
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

# A stack frame of a src/ module as tslab names it: compiled in memory, so `.js`, with shifted line numbers.
TSLAB_FRAME = re.compile(r"/src/[\w/.-]+\.js:\d+")


def cell_outputs_text(cell):
    parts = []
    for out in cell.get("outputs", []):
        kind = out.get("output_type")
        if kind == "stream":
            parts.append(f"[{out.get('name')}] {out.get('text', '')}")
        elif kind == "error":
            parts.append(f"[error] {out.get('ename', '')}: {out.get('evalue', '')}\n" + "\n".join(out.get("traceback", [])))
    return "".join(parts).rstrip()


def main():
    src, dst, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3])
    nb = nbformat.read(src, as_version=4)
    # The notebook on disk holds the outputs and execution counts of its last run: clear them, so a failure can
    # never be attributed to a cell the kernel did not reach in this run.
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    reached = {}

    def cell_started(cell, cell_index, **_):
        reached["index"] = cell_index

    client = NotebookClient(nb, timeout=max(1, math.ceil(timeout)), kernel_name="tslab-imc", allow_errors=False,
                            record_timing=False, startup_timeout=60, on_cell_start=cell_started)
    started = time.time()
    status = 0
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
        status = 2 if isinstance(exc, (CellTimeoutError, DeadKernelError)) else 1
        # The cell the kernel was executing when it failed, timed out or died (tslab sends no error output to
        # find it by: its failing reply is empty and the message is on the cell's stderr).
        failing = None
        if "index" in reached:
            index = reached["index"]
            code_index = sum(1 for c in nb.cells[: index + 1] if c.cell_type == "code")
            failing = (index, code_index, nb.cells[index])
        print(f"\nNOTEBOOK FAILED: {src} ({type(exc).__name__})", file=sys.stderr)
        if failing is not None:
            index, code_index, cell = failing
            label = f"cell {index}" + (f" (code cell {code_index})" if code_index else "")
            print(f"--- {label} source ---\n{cell.source}\n--- {label} output ---", file=sys.stderr)
            silent = "(no output; tslab sent an empty error)" if status == 1 else "(no output before the kernel died or timed out)"
            text = cell_outputs_text(cell)
            print(text or silent, file=sys.stderr)
            if TSLAB_FRAME.search(text):
                print("(tslab runs src/ modules compiled in memory: their stack frames name `.js` files and the line "
                      "numbers are shifted; the function names hold, and frames of `.ts` files, from worker threads "
                      "run by tsx, are exact)", file=sys.stderr)
        if status == 2:
            print(str(exc).splitlines()[0] if str(exc) else "", file=sys.stderr)
    finally:
        elapsed = time.time() - started
    if status == 0:
        nbformat.write(nb, dst)
        print(f"executed {src} in {elapsed:.1f} s")
    sys.exit(status)


if __name__ == "__main__":
    main()
