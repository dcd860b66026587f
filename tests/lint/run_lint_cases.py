#!/usr/bin/env python3
"""Runs `rayify lint` over every case file and compares its findings with the
`// expect: rule-id[, rule-id]` markers on the case's lines: a finding without a
marker and a marker without a finding both fail.

Usage: run_lint_cases.py RAYIFY CASES_DIR
"""
import json
import pathlib
import re
import subprocess
import sys

MARKER = re.compile(r"//.*\bexpect:\s*([a-z0-9, -]+)")


def expected_findings(path):
    expected = set()
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        match = MARKER.search(line)
        if match:
            for rule in match.group(1).split(","):
                if rule.strip():
                    expected.add((number, rule.strip()))
    return expected


def actual_findings(rayify, path):
    run = subprocess.run(
        [rayify, "lint", "--format", "json", "--fail-on", "never", str(path)],
        capture_output=True, text=True, timeout=300)
    if run.returncode != 0:
        raise RuntimeError(f"{path}: rayify lint exited {run.returncode}:\n{run.stderr}")
    report = json.loads(run.stdout)
    return {(f["line"], f["rule"]) for f in report["findings"]}, report["findings"]


def main():
    rayify, cases = sys.argv[1], pathlib.Path(sys.argv[2])
    failures = 0
    files = sorted(cases.glob("*.cpp"))
    if not files:
        print(f"no case files in {cases}")
        return 1
    for path in files:
        expected = expected_findings(path)
        actual, findings = actual_findings(rayify, path)
        for line, rule in sorted(expected - actual):
            print(f"FAIL {path.name}:{line}: expected [{rule}], not reported")
            failures += 1
        for line, rule in sorted(actual - expected):
            message = next(f["message"] for f in findings
                           if f["line"] == line and f["rule"] == rule)
            print(f"FAIL {path.name}:{line}: unexpected [{rule}]: {message}")
            failures += 1
        print(f"{'ok  ' if expected == actual else 'FAIL'} {path.name}: "
              f"{len(expected)} expected, {len(actual)} reported")
    print(f"{len(files)} case files, {failures} mismatches")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
