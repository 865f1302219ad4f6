# Belay's notebook driver: runs inside Belay's sandbox, in a private working folder holding the student's notebook
# (`notebook.ipynb`), the course's files under the course's names, and `belay_find.py` (the route's search for the
# work). It executes the notebook top to bottom in a fresh ipykernel (IPC transport: the sandbox has no network),
# then runs `belay_find.py` in the same kernel, and writes `belay_executed.ipynb` and `belay_run.json`.
#
# Usage: python3 belay_driver.py CELL_TIMEOUT_SECONDS NOTEBOOK_BUDGET_SECONDS
# Every path is relative: the working folder's absolute path may be hidden by the sandbox's private /tmp.
import json
import os
import sys
import time

START = time.monotonic()
RUN = {"status": "ok", "cells": [], "kernel_died": None, "stopped_at": None, "message": ""}


def finish(status=None, message=None):
    if status:
        RUN["status"] = status
    if message:
        RUN["message"] = str(message)[:4000]
    RUN["seconds"] = round(time.monotonic() - START, 3)
    with open("belay_run.json.tmp", "w") as f:
        json.dump(RUN, f)
    os.replace("belay_run.json.tmp", "belay_run.json")
    sys.exit(0)


cell_timeout = float(sys.argv[1]) if len(sys.argv) > 1 else 120.0
budget = float(sys.argv[2]) if len(sys.argv) > 2 else 540.0
for folder in ("/tmp/home", "/tmp/jupyter-runtime", "/tmp/ipython", "/tmp/cache", "/tmp/mpl"):
    os.makedirs(folder, exist_ok=True)

try:
    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
except Exception as error:  # noqa: BLE001 - any import failure means "no Jupyter here"
    finish("missing", f"{type(error).__name__}: {error}")

try:
    nb = nbformat.read("notebook.ipynb", as_version=4)
except Exception as error:  # noqa: BLE001
    finish("unreadable", f"{type(error).__name__}: {error}")

# The kernel runs the notebook's code; the driver keeps the clock.
km = KernelManager(kernel_name="python3", transport="ipc")
client = NotebookClient(
    nb, km=km, timeout=int(cell_timeout), interrupt_on_timeout=True, allow_errors=True, kernel_name="python3",
    resources={"metadata": {"path": "."}}, startup_timeout=120, record_timing=False,
    # ipykernel may not stop a busy loop on interrupt: the timed-out cell then ends with this error, and the
    # notebook stops there (the kernel is still busy).
    error_on_timeout={"ename": "CellTimeoutError", "evalue": f"the cell ran longer than the per-cell limit",
                      "traceback": ["Belay stopped waiting for this cell: it ran longer than the per-cell limit."]})


def run_code(source):
    # Executed as a last cell that is taken out of the notebook again: it is Belay's, not the student's.
    cell = nbformat.v4.new_code_cell(source)
    nb.cells.append(cell)
    try:
        client.execute_cell(cell, len(nb.cells) - 1, store_history=False)
    finally:
        nb.cells.pop()
    return cell


CURRENT = {"cell": None}


def watchdog():
    # nbclient can wait for ever on a kernel that was killed outright (os.kill(os.getpid(), 9)), and a cell that
    # ignores interrupts outlives its timeout: the watchdog ends the run with what it has.
    import threading

    def watch():
        while True:
            time.sleep(1.0)
            dead = False
            try:
                dead = km.has_kernel and not km.is_alive()
            except Exception:  # noqa: BLE001
                dead = True
            over = time.monotonic() - START > budget + 45
            began = CURRENT.get("began")
            # The cell's own limit (the per-cell limit, or less when the notebook's budget is nearly spent):
            # ipykernel 7 does not interrupt a busy `while True: pass`, and nbclient then waits for ever.
            limit = CURRENT.get("limit") or cell_timeout
            cell_over = CURRENT["cell"] is not None and began is not None and time.monotonic() - began > limit + 5
            if dead or over or cell_over:
                if dead:
                    RUN["kernel_died"] = CURRENT["cell"] or 0
                    RUN["message"] = f"the kernel died in cell {CURRENT['cell']}" if CURRENT["cell"] else "the kernel died"
                elif cell_over:
                    RUN["stopped_at"] = CURRENT["cell"]
                    RUN["cells"].append({"cell": CURRENT["cell"], "seconds": round(time.monotonic() - began, 3), "timed_out": True})
                    RUN["message"] = (f"cell {CURRENT['cell']} reached the per-cell time limit ({int(limit)} s) and did not "
                                      "stop when interrupted; the cells after it were not run")
                else:
                    RUN["stopped_at"] = CURRENT["cell"]
                    RUN["message"] = f"cell {CURRENT['cell']} did not stop when interrupted; the notebook's time limit ({int(budget)} s) ended it"
                try:
                    nbformat.write(nb, "belay_executed.ipynb")
                except Exception:  # noqa: BLE001
                    pass
                try:
                    km.shutdown_kernel(now=True)
                except Exception:  # noqa: BLE001
                    pass
                RUN["seconds"] = round(time.monotonic() - START, 3)
                with open("belay_run.json.tmp", "w") as f:
                    json.dump(RUN, f)
                os.replace("belay_run.json.tmp", "belay_run.json")
                os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


watchdog()
try:
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            left = budget - (time.monotonic() - START)
            if left < 5:
                RUN["stopped_at"] = index + 1
                RUN["message"] = f"the notebook's time limit ({int(budget)} s) was reached before cell {index + 1}"
                break
            client.timeout = int(max(5, min(cell_timeout, left)))
            began = time.monotonic()
            entry = {"cell": index + 1, "seconds": 0.0, "timed_out": False}
            CURRENT["cell"] = index + 1
            CURRENT["limit"] = client.timeout
            CURRENT["began"] = time.monotonic()
            try:
                client.execute_cell(cell, index)
            except CellTimeoutError:
                entry["timed_out"] = True
            except DeadKernelError as error:
                RUN["kernel_died"] = index + 1
                RUN["message"] = f"the kernel died in cell {index + 1}: {error}"[:2000]
                entry["seconds"] = round(time.monotonic() - began, 3)
                RUN["cells"].append(entry)
                break
            entry["seconds"] = round(time.monotonic() - began, 3)
            if entry["seconds"] >= client.timeout - 0.5:
                entry["timed_out"] = True
            RUN["cells"].append(entry)
            if entry["timed_out"]:
                RUN["stopped_at"] = index + 1
                RUN["message"] = f"cell {index + 1} reached the per-cell time limit ({client.timeout} s); the cells after it were not run"
                break
        CURRENT["cell"] = None
        if RUN["kernel_died"] is None and RUN["stopped_at"] is None:
            client.timeout = 120
            try:
                with open("belay_find.py") as f:
                    source = f.read()
                found = run_code(source)
                for output in found.get("outputs", []):
                    if output.get("output_type") == "error":
                        RUN["find_error"] = (output.get("ename", "") + ": " + output.get("evalue", ""))[:2000]
            except DeadKernelError as error:
                RUN["find_error"] = f"the kernel died while Belay looked for the work: {error}"[:2000]
            except CellTimeoutError:
                RUN["find_error"] = "looking for the work took longer than 120 s"
except DeadKernelError as error:
    RUN["kernel_died"] = RUN["kernel_died"] or 0
    RUN["message"] = f"the kernel died: {error}"[:2000]
except Exception as error:  # noqa: BLE001 - the kernel would not start, or nbclient failed
    RUN["status"] = "kernel_failed"
    RUN["message"] = f"{type(error).__name__}: {error}"[:4000]

try:
    nbformat.write(nb, "belay_executed.ipynb")
except Exception as error:  # noqa: BLE001
    RUN["message"] += f"; the executed notebook could not be written: {error}"
finish()
