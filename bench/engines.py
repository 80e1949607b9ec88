"""Times opening a chapter in the two engines that are not Jupyter kernels: the headless runner and the exported
file-based app. For the runner: from starting `course notebooks run` to the reply of the chapter's first code cell
(from the timings it records) and to the end. For the app: `dotnet run` to its first line of output, with a cold build
(a fresh export) and a warm one (the same file again). Prints one JSON document.
"""
import argparse, json, os, subprocess, sys, tempfile, time
from datetime import datetime, timezone

import nbformat

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def runner(chapter):
    with tempfile.TemporaryDirectory() as out:
        start = time.time()
        subprocess.run([os.path.join(ROOT, "course"), "notebooks", "run", chapter, "-o", out], check=True, stdout=subprocess.DEVNULL)
        total = time.time() - start
        notebook = nbformat.read(os.path.join(out, os.path.basename(chapter)), as_version=4)
        first = next(c for c in notebook.cells if c.cell_type == "code")
        reply = datetime.strptime(first.metadata.execution["shell.execute_reply"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
        return {"first_cell_s": round(reply.timestamp() - start, 2), "chapter_s": round(total, 2)}


def first_output(program):
    start = time.time()
    process = subprocess.Popen(["dotnet", "run", program], cwd=os.path.dirname(os.path.abspath(program)),
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    process.stdout.readline()
    first = time.time() - start
    process.wait()
    if process.returncode != 0:
        raise RuntimeError(f"dotnet run {program} exited with {process.returncode}")
    return round(first, 2), round(time.time() - start, 2)


def exported(chapter):
    with tempfile.TemporaryDirectory(dir=os.path.dirname(os.path.abspath(chapter))) as folder:
        program = os.path.join(folder, os.path.basename(chapter).replace(".ipynb", ".cs"))
        subprocess.run([os.path.join(ROOT, "course"), "notebooks", "export", chapter, "-o", program], check=True, stdout=subprocess.DEVNULL)
        cold, cold_total = first_output(program)
        warm, warm_total = first_output(program)
        return {"cold_first_output_s": cold, "cold_total_s": cold_total, "warm_first_output_s": warm, "warm_total_s": warm_total}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("chapters", nargs="+")
    args = parser.parse_args()
    results = {"machine": {"cpus": os.cpu_count()}, "chapters": {}}
    for chapter in args.chapters:
        print(f"{os.path.basename(chapter)}: runner, export", file=sys.stderr)
        results["chapters"][os.path.basename(chapter)] = {"runner": runner(chapter), "file_based_app": exported(chapter)}
    json.dump(results, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
