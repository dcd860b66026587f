#!/usr/bin/env python3
"""Converts and verifies programs from generate.py: every one must print exactly what
its original printed (rayify verify, tasks in worker processes). Programs rayify
leaves unchanged are identical by construction and only counted.

Usage: run_generated.py RAYIFY FIRST_SEED COUNT [JOBS]   (prints "N passed, M failed")
"""
import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile

import generate


def verify(rayify, path):
    result = subprocess.run([rayify, "verify", path], capture_output=True, text=True,
                            timeout=300, stdin=subprocess.DEVNULL)
    return result.returncode, result.stdout + result.stderr


def main():
    rayify, first, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    jobs = int(sys.argv[4]) if len(sys.argv) > 4 else os.cpu_count()
    passed = failed = 0
    with tempfile.TemporaryDirectory() as work:
        # The helpers loop tens to hundreds of times, to keep the run short: far less
        # work than a task is worth. This defence is about whether conversions are
        # right, so convert and verify (which find this file upward from each
        # program) take every loop the cost model would otherwise keep sequential, for
        # its work or for the data it moves.
        with open(os.path.join(work, ".rayify.yaml"), "w") as config:
            config.write("thresholds:\n  min-task-operations: 1\n"
                         "  operations-per-byte-moved: 0\n")
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
            files = json.load(f)["files"]
        converted = [f["input"] for f in files if f["status"] == "converted"]
        loops = sum(len([c for c in f["conversions"] if c["kind"] in ("task", "reduction")])
                    for f in files)
        skips = {}
        for f in files:
            if f["status"] == "failed":
                print("FAIL: %s: %s" % (f["input"], f["error"]))
                failed += 1
            for skip in f["skips"]:
                skips[skip["reason"]] = skips.get(skip["reason"], 0) + 1
        passed += len(files) - len(converted) - failed
        with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
            for path, (status, log) in zip(converted,
                                           pool.map(lambda p: verify(rayify, p), converted)):
                if status == 0 and "identical (" in log:
                    passed += 1
                else:
                    failed += 1
                    print("FAIL: seed %s (exit %d):\n%s" % (
                        os.path.basename(path)[4:-4], status, log))
        print("generator: %d programs (seeds %d-%d), %d converted with %d loops, "
              "%d differences; refusals: %s" % (
                  count, first, first + count - 1, len(converted), loops, failed,
                  ", ".join("%s %d" % kv for kv in sorted(skips.items()))))
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
