#!/usr/bin/env python3
"""Converts and verifies programs from generate.py: every one must print exactly what
its original printed (rayify verify, tasks in worker processes). Programs rayify
leaves unchanged are identical by construction and only counted.

With --project each program is instead written as a CMake project of three files
(generate.py's generate_project: main in one file, every helper in another), converted
whole with `convert -p` and verified with `verify -p`: every hazard then reaches main's
loops only through what rayify learns of the other file.

Usage: run_generated.py RAYIFY FIRST_SEED COUNT [JOBS] [--project]
       (prints "N passed, M failed")
"""
import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile
import threading

import generate


def verify(rayify, path):
    try:
        result = subprocess.run([rayify, "verify", path], capture_output=True, text=True,
                                timeout=300, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return -1, "verify took more than 300 s"
    return result.returncode, result.stdout + result.stderr


def write_config(work):
    # The helpers loop tens to hundreds of times, to keep the run short: far less
    # work than a task is worth. This defence is about whether conversions are
    # right, so convert and verify (which find this file upward from each
    # program) take every loop the cost model would otherwise keep sequential, for
    # its work or for the data it moves.
    with open(os.path.join(work, ".rayify.yaml"), "w") as config:
        config.write("thresholds:\n  min-task-operations: 1\n"
                     "  operations-per-byte-moved: 0\n")


def tally(files, skips):
    """(converted inputs, task loops, failed files) of a report's files."""
    converted = [f["input"] for f in files if f["status"] == "converted"]
    loops = sum(len([c for c in f["conversions"] if c["kind"] in ("task", "reduction")])
                for f in files)
    failed = [f for f in files if f["status"] == "failed"]
    for f in failed:
        print("FAIL: %s: %s" % (f["input"], f["error"]))
    for f in files:
        for skip in f["skips"]:
            skips[skip["reason"]] = skips.get(skip["reason"], 0) + 1
    return converted, loops, len(failed)


def single_files(rayify, first, count, jobs, work, skips):
    """(programs converted, loops converted, differences) over single-file programs."""
    paths = []
    for seed in range(first, first + count):
        path = os.path.join(work, "gen_%d.cpp" % seed)
        with open(path, "w") as out:
            out.write(generate.generate(seed))
        paths.append(path)
    report = os.path.join(work, "report.json")
    subprocess.run([rayify, "convert", "--dry-run", "--no-compile-check", "-j",
                    str(jobs), "-o", os.path.join(work, "out"), "--report-file",
                    report] + paths, capture_output=True, check=False)
    with open(report) as f:
        converted, loops, failed = tally(json.load(f)["files"], skips)
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        for path, (status, log) in zip(converted,
                                       pool.map(lambda p: verify(rayify, p), converted)):
            if status != 0 or "identical (" not in log:
                failed += 1
                print("FAIL: seed %s (exit %d):\n%s" % (
                    os.path.basename(path)[4:-4], status, log))
    return len(converted), loops, failed


def one_project(rayify, seed, work, skips):
    """(converted, loops, failed) for one seed's project: configured for its
    compilation database, converted whole, and verified when anything converted.
    Adds its refusals to `skips` under skips_lock: projects run on threads."""
    project = os.path.join(work, "project_%d" % seed)
    os.makedirs(project)
    for name, text in generate.generate_project(seed).items():
        with open(os.path.join(project, name), "w") as out:
            out.write(text)
    build = os.path.join(project, "build")
    configured = subprocess.run(
        ["cmake", "-S", project, "-B", build, "-DCMAKE_BUILD_TYPE=Release",
         "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON"], capture_output=True, text=True)
    if configured.returncode != 0:
        print("FAIL: seed %d: cmake:\n%s" % (seed, configured.stderr))
        return 0, 0, 1
    report = os.path.join(project, "report.json")
    converting = subprocess.run(
        [rayify, "convert", "-p", build, "--dry-run", "--no-compile-check", "-j", "1",
         "-o", os.path.join(project, "out"), "--report-file", report],
        capture_output=True, text=True, check=False)
    if not os.path.exists(report):
        print("FAIL: project seed %d: convert wrote no report (exit %d):\n%s" % (
            seed, converting.returncode, converting.stderr))
        return 0, 0, 1
    with open(report) as f:
        files = json.load(f)["files"]
    with skips_lock:
        converted, loops, failed = tally(files, skips)
    if failed or not converted:
        return 0, loops, failed
    try:
        result = subprocess.run(
            [rayify, "verify", "-p", build, "--run", "./prog", "-j", "1"],
            capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        print("FAIL: project seed %d: verify -p took more than 600 s" % seed)
        return 1, loops, 1
    log = result.stdout + result.stderr
    if result.returncode != 0 or "identical (" not in log:
        print("FAIL: project seed %d (exit %d):\n%s" % (seed, result.returncode, log))
        return 1, loops, 1
    return 1, loops, 0


skips_lock = threading.Lock()


def projects(rayify, first, count, jobs, work, skips):
    totals = [0, 0, 0]
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        runs = pool.map(lambda seed: one_project(rayify, seed, work, skips),
                        range(first, first + count))
        for run in runs:
            totals = [a + b for a, b in zip(totals, run)]
    return tuple(totals)


def main():
    args = [a for a in sys.argv[1:] if a != "--project"]
    as_projects = len(args) < len(sys.argv) - 1
    rayify, first, count = args[0], int(args[1]), int(args[2])
    jobs = int(args[3]) if len(args) > 3 else os.cpu_count()
    skips = {}
    with tempfile.TemporaryDirectory() as work:
        write_config(work)
        run = projects if as_projects else single_files
        converted, loops, failed = run(rayify, first, count, jobs, work, skips)
    kind = "projects" if as_projects else "programs"
    print("generator: %d %s (seeds %d-%d), %d converted with %d loops, "
          "%d differences; refusals: %s" % (
              count, kind, first, first + count - 1, converted, loops, failed,
              ", ".join("%s %d" % kv for kv in sorted(skips.items()))))
    passed = count - failed
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
