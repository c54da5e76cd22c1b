"""Execute one tslab notebook headlessly, cell by cell, and stop with a precise report at the first cell that failed.

Run by scripts/run-notebooks.mjs with the interpreter that has Debian's python3-nbclient.

Why not `jupyter nbconvert --execute`: tslab (1.0.22) has no Jupyter `error` output. A failing cell gets an
execute_reply with status "error" but no ename/evalue/traceback; the message only exists as text on the stderr stream.
nbconvert therefore fails with an empty "<Error>: ", and with --allow-errors it carries on while tslab answers every
request arriving in the next 200 ms with status "abort" and no output, so later cells look merely empty. Errors from
promises nobody awaited (and exceptions thrown in timers) still leave the cell "ok": tslab prints an
"UnhandledPromiseRejection:" banner on stderr, but after the cell's idle status, so nbclient drops it.

So this driver sends one cell at a time and requires status "ok" for each. A hidden prologue cell registers
process-level handlers that record asynchronous errors, and a hidden check cell after every cell reports (and clears)
what they recorded, then prints a sentinel proving the kernel really executed what it was sent. Nothing is sent after
a failure; every later code cell is reported as not run. Hidden cells are removed from the written notebook.

Exit status: 0 all cells ran, 1 a cell failed (or did not run), 2 the notebook could not be executed at all.
"""

import argparse
import asyncio
import json
import os
import re
import sys
import time
import traceback

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import ensure_async

# Hidden cells. They declare nothing at top level (tslab would carry declarations into the notebook's scope).
PROLOGUE_SOURCE = """{
  const g = globalThis as any;
  if (g.__rlFocalAsyncErrors === undefined) {
    g.__rlFocalAsyncErrors = [];
    const record = (kind: string) => (e: unknown) => {
      g.__rlFocalAsyncErrors.push(kind + ": " + (e instanceof Error && e.stack ? e.stack : String(e)));
    };
    process.on("unhandledRejection", record("unhandled promise rejection"));
    process.on("uncaughtException", record("uncaught exception"));
  }
}"""
SENTINEL = "__rl_focal_check__"
# Yielding to the event loop once lets rejections of promises the previous cell started (and 0 ms timers) surface.
CHECK_SOURCE = """await new Promise((resolve) => setTimeout(resolve, 0));
console.log("%s" + JSON.stringify((globalThis as any).__rlFocalAsyncErrors.splice(0)));""" % SENTINEL
# Banners tslab prints for errors outside any cell's own execution, when they do land in a cell (tslab/dist/main.js).
ASYNC_ERROR_MARKERS = ("UnhandledPromiseRejection:", "UncaughtException:")


def out(line=""):
    print(line, flush=True)


def stream_text(cell, name):
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream" and o.get("name") == name)


def error_text(cell):
    """Everything the kernel said about a failure: stderr, plus `error` outputs for kernels that produce them."""
    parts = [stream_text(cell, "stderr")]
    for o in cell.get("outputs", []):
        if o.get("output_type") == "error":
            parts.append("\n".join(o.get("traceback") or []) or "%s: %s" % (o.get("ename"), o.get("evalue")))
    return "".join(parts).strip()


def first_line(source):
    for line in source.splitlines():
        if line.strip():
            return line.strip()[:70]
    return ""


# Stack frames of tslab's own machinery say nothing about the notebook; the report leaves them out.
INTERNAL_FRAME = re.compile(r"^\s+at .*(node:vm|node:internal|tslab/dist/|sigintHandlersWrap)")


def without_internal_frames(text):
    return "\n".join(line for line in text.splitlines() if not INTERNAL_FRAME.match(line))


def indent(text, prefix="    "):
    return "\n".join(prefix + line for line in text.splitlines()) if text else prefix + "(empty)"


class ProgressLine:
    """One line per cell: the start is printed when the cell is sent, the result appended when it ends."""

    def __init__(self):
        self.open = False

    def start(self, text):
        sys.stdout.write(text)
        sys.stdout.flush()
        self.open = True

    def finish(self, text):
        if self.open:
            out(" " + text)
            self.open = False


class Failure(Exception):
    def __init__(self, cell_index, reason, detail):
        super().__init__(reason)
        self.cell_index = cell_index
        self.reason = reason
        self.detail = detail


async def run(args):
    nb = nbformat.read(args.notebook, as_version=4)
    kernel_name = nb.metadata.get("kernelspec", {}).get("name") or args.kernel
    if kernel_name != args.kernel:
        out("  error: notebook asks for kernel %r; notebooks here must use the %r kernel" % (kernel_name, args.kernel))
        return 2

    code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.strip()]
    replies = {}

    def on_cell_executed(cell, cell_index, execute_reply):
        replies[cell_index] = execute_reply

    client = NotebookClient(
        nb,
        kernel_name=args.kernel,
        timeout=args.cell_timeout if args.cell_timeout > 0 else None,
        startup_timeout=args.startup_timeout,
        allow_errors=True,  # failures are judged here, from the reply status and stderr
        record_timing=True,
        on_cell_executed=on_cell_executed,
        resources={"metadata": {"path": args.cwd}},
    )

    failure = None
    done = 0
    progress = ProgressLine()
    started = time.monotonic()
    try:
        async with client.async_setup_kernel():
            info = await client.async_wait_for_reply(await ensure_async(client.kc.kernel_info()))
            if info is not None and "language_info" in info["content"]:
                nb.metadata["language_info"] = info["content"]["language_info"]
            if code_cells:
                status, _, stderr = await run_hidden(client, nb, replies, PROLOGUE_SOURCE)
                if status != "ok":
                    out("  error: the hidden prologue cell failed (%s):\n%s" % (status, indent(stderr)))
                    return 2
            for position, index in enumerate(code_cells, start=1):
                cell = nb.cells[index]
                t0 = time.monotonic()
                # The line is finished when the cell is, so a long cell shows which one is running.
                progress.start("  [%d/%d] cell %d  %-72s" % (position, len(code_cells), index, first_line(cell.source)))
                try:
                    await client.async_execute_cell(cell, index, execution_count=position)
                except CellTimeoutError:
                    raise Failure(index, "timed out after %s s" % args.cell_timeout, error_text(cell))
                except DeadKernelError:
                    raise Failure(index, "the kernel died", error_text(cell))
                reply = replies.get(index)
                status = reply["content"].get("status") if reply else "no reply"
                stderr = stream_text(cell, "stderr")
                if status != "ok":
                    raise Failure(index, "kernel replied %r" % status, error_text(cell))
                if any(marker in stderr for marker in ASYNC_ERROR_MARKERS):
                    raise Failure(index, "an asynchronous error escaped the cell", error_text(cell))
                await check_after(client, nb, replies, index)
                done += 1
                progress.finish("ok %6.1f s" % (time.monotonic() - t0))
                if stderr.strip() and args.show_stderr:
                    out(indent(stderr.strip(), "        stderr| "))

    except Failure as f:
        progress.finish("FAILED")
        failure = f
    except Exception as e:  # kernel could not start, connection lost, ...
        progress.finish("FAILED")
        out("  error: could not execute %s: %s: %s" % (args.notebook, type(e).__name__, e))
        if args.verbose:
            traceback.print_exc()
        write(nb, args.output, code_cells, done)
        return 2

    write(nb, args.output, code_cells, done)
    total = time.monotonic() - started
    if failure is None:
        out("  all %d code cells ran (%.1f s)" % (len(code_cells), total))
        return 0

    not_run = [i for i in code_cells if i > failure.cell_index]
    position = code_cells.index(failure.cell_index) + 1 if failure.cell_index in code_cells else "?"
    out("")
    out("FAILED  %s" % args.notebook)
    out("  cell index %d (code cell %s of %d): %s" % (failure.cell_index, position, len(code_cells), failure.reason))
    out("  source:")
    out(indent(nb.cells[failure.cell_index].source))
    out("  error:")
    out(indent(without_internal_frames(failure.detail)))
    if not_run:
        out("  not run: %d later code cell(s): index %s" % (len(not_run), ", ".join(str(i) for i in not_run)))
    out("  partial output: %s" % args.output)
    return 1


async def run_hidden(client, nb, replies, source):
    """Executes `source` as a temporary extra cell; returns (reply status, stdout, stderr)."""
    cell = nbformat.v4.new_code_cell(source)
    nb.cells.append(cell)
    index = len(nb.cells) - 1
    try:
        await client.async_execute_cell(cell, index, store_history=False)
    finally:
        nb.cells.pop()
    reply = replies.pop(index, None)
    status = reply["content"].get("status") if reply else "no reply"
    return status, stream_text(cell, "stdout"), error_text(cell)


async def check_after(client, nb, replies, index):
    """Fails cell `index` unless the kernel still runs code and no asynchronous error was recorded meanwhile."""
    try:
        status, stdout, stderr = await run_hidden(client, nb, replies, CHECK_SOURCE)
    except (CellTimeoutError, DeadKernelError) as e:
        raise Failure(index, "the check after this cell failed: %s" % type(e).__name__, "")
    marker = stdout.rfind(SENTINEL)
    if status != "ok" or marker < 0:
        raise Failure(index, "the check after this cell did not run (kernel replied %r)" % status, stderr)
    errors = json.loads(stdout[marker + len(SENTINEL) :].splitlines()[0])
    if errors:
        raise Failure(index, "an asynchronous error was raised while or after this cell ran", "\n\n".join(errors))


def write(nb, path, code_cells, done):
    # Cells that never ran must not keep outputs from an earlier session, or the written notebook would lie.
    for i in code_cells[done + 1 :]:
        nb.cells[i].outputs = []
        nb.cells[i].execution_count = None
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    nbformat.write(nb, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebook")
    ap.add_argument("--output", required=True, help="where to write the executed notebook")
    ap.add_argument("--cwd", required=True, help="working directory of the kernel")
    ap.add_argument("--kernel", default="tslab")
    ap.add_argument("--cell-timeout", type=int, default=0, help="seconds per cell, 0 = no limit")
    ap.add_argument("--startup-timeout", type=int, default=120)
    ap.add_argument("--show-stderr", action="store_true", help="echo stderr of successful cells")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    sys.exit(asyncio.run(run(args)))


if __name__ == "__main__":
    main()
