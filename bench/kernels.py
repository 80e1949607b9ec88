"""Measures the course's C# kernel against the official .NET Interactive kernel, through Jupyter's own client.

For each kernel: the time from starting the kernel to the first cell's result (a fresh kernel each time, median of
--starts), the round trip of an empty cell (median of --cells, after a warm-up), and the wall time of whole chapters
run by nbclient. Both kernels must be registered where Jupyter finds them (bench/kernels.sh does that).
Prints one JSON document.
"""
import argparse, contextlib, json, os, platform, statistics, sys, time

import nbclient, nbformat
from jupyter_client.manager import KernelManager


@contextlib.contextmanager
def running(kernel, cwd=None):
    """A started kernel's client, ready to execute; the kernel is shut down afterwards."""
    manager = KernelManager(kernel_name=kernel)
    manager.start_kernel(cwd=cwd)
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=300)
        yield client
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def run(client, kernel, code):
    """Executes a cell and returns when its reply arrives; a failing cell stops the benchmark."""
    reply = client.execute(code, reply=True, timeout=600)
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"{kernel}: {code[:40]!r} failed: {reply['content']}")


def first_result(kernel):
    """Seconds from starting the kernel process to the execute_result of `1 + 1`."""
    start = time.perf_counter()
    with running(kernel) as client:
        message_id = client.execute("1 + 1")
        while True:
            message = client.get_iopub_msg(timeout=300)
            if message["parent_header"].get("msg_id") == message_id and message["msg_type"] in ("execute_result", "error"):
                if message["msg_type"] == "error":
                    raise RuntimeError(f"{kernel}: {message['content']['evalue']}")
                return time.perf_counter() - start


def empty_cells(kernel, count):
    """Round trips (execute_request to the reply) of an empty cell, after ten warm-up cells."""
    times = []
    with running(kernel) as client:
        for i in range(count + 10):
            start = time.perf_counter()
            run(client, kernel, "")
            if i >= 10:
                times.append(time.perf_counter() - start)
    return times


def first_cell(kernel, path):
    """Seconds from starting the kernel (in the chapter's folder) to the reply of the chapter's first code cell, which
    holds its #r references: what a learner waits for after opening a chapter and running its first cell."""
    notebook = nbformat.read(path, as_version=4)
    code = next(c.source for c in notebook.cells if c.cell_type == "code")
    start = time.perf_counter()
    with running(kernel, cwd=os.path.dirname(os.path.abspath(path))) as client:
        run(client, kernel, code)
        return time.perf_counter() - start


def chapter(kernel, path):
    """Wall time of nbclient executing the whole chapter, kernel start included."""
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    nbclient.NotebookClient(notebook, kernel_name=kernel, timeout=1800, startup_timeout=300,
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}}).execute()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kernels", nargs="+", default=["course-csharp", ".net-csharp"])
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--cells", type=int, default=100)
    parser.add_argument("--chapters", nargs="*", default=[])
    parser.add_argument("--first-cell-of", help="also time opening this chapter: kernel start to its first cell's reply")
    args = parser.parse_args()

    results = {"machine": {"cpus": os.cpu_count(), "platform": platform.platform()}, "kernels": {}}
    for kernel in args.kernels:
        print(f"{kernel}: start to first result x{args.starts}", file=sys.stderr)
        starts = [first_result(kernel) for _ in range(args.starts)]
        print(f"{kernel}: {args.cells} empty cells", file=sys.stderr)
        cells = empty_cells(kernel, args.cells)
        opening = {}
        if args.first_cell_of:
            print(f"{kernel}: first cell of {args.first_cell_of} x{args.starts}", file=sys.stderr)
            times = [first_cell(kernel, args.first_cell_of) for _ in range(args.starts)]
            opening = {"chapter": os.path.basename(args.first_cell_of), "median_s": round(statistics.median(times), 3), "all": [round(t, 3) for t in times]}
        chapters = {}
        for path in args.chapters:
            print(f"{kernel}: {os.path.basename(path)}", file=sys.stderr)
            chapters[os.path.basename(path)] = round(chapter(kernel, path), 2)
        results["kernels"][kernel] = {
            "start_to_first_result_s": {"median": round(statistics.median(starts), 3), "all": [round(s, 3) for s in starts]},
            "empty_cell_ms": {"median": round(1000 * statistics.median(cells), 2), "p90": round(1000 * sorted(cells)[int(0.9 * len(cells))], 2)},
            "chapter_wall_s": chapters,
            "open_chapter_to_first_cell_s": opening,
        }
    json.dump(results, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
