#!/usr/bin/python3
"""Execute one notebook headless on the project's tslab kernel.

Usage: execute_notebook.py IN.ipynb OUT.ipynb TIMEOUT_S

tslab answers a failing cell with an empty error reply and writes the real message to the cell's
stderr stream, so on failure this prints the failing cell's number, its source and every stream/error
output it produced. Exit status: 0 ok, 1 a cell failed, 2 timeout or kernel death.
"""
import math
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


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
    client = NotebookClient(nb, timeout=max(1, math.ceil(timeout)), kernel_name="tslab-imc", allow_errors=False,
                            record_timing=False, startup_timeout=60)
    started = time.time()
    status = 0
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
        status = 2 if isinstance(exc, (CellTimeoutError, DeadKernelError)) else 1
        failing = None
        code_index = 0
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            code_index += 1
            errored = any(o.get("output_type") == "error" for o in cell.get("outputs", []))
            if errored:
                failing = (index, code_index, cell)
                break
        if failing is None:
            # Timeout or dead kernel: report the last code cell that produced output or was reached.
            for index, cell in reversed(list(enumerate(nb.cells))):
                if cell.cell_type == "code" and cell.get("execution_count") is not None:
                    failing = (index, None, cell)
                    break
        print(f"\nNOTEBOOK FAILED: {src} ({type(exc).__name__})", file=sys.stderr)
        if failing is not None:
            index, code_index, cell = failing
            label = f"cell {index}" + (f" (code cell {code_index})" if code_index else "")
            print(f"--- {label} source ---\n{cell.source}\n--- {label} output ---", file=sys.stderr)
            print(cell_outputs_text(cell) or "(no output; tslab sent an empty error)", file=sys.stderr)
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
