#!/usr/bin/env python3
"""Checks rayify's SARIF with an independent validator: sarif-pydantic, a SARIF 2.1.0
object model from PyPI, loads the log (types, enums and required properties), every
property must be one the model knows, and the fields GitHub code scanning requires
are asserted one by one.

Usage: validate_sarif.py RAYIFY CASES_DIR   (run with the Python of .venv/, where
scripts/setup-sarif-validator.sh installs the validator)
"""
import json
import subprocess
import sys
import tempfile

from pydantic import BaseModel
from sarif_pydantic import Sarif

# SARIF 2.1.0 properties the object model does not declare: `markdown` of a
# multiformatMessageString (rule help) is in the standard (section 3.12).
KNOWN_TO_SARIF = {("Message", "markdown")}


def unknown_properties(model, path="log"):
    problems = []
    for key in (model.model_extra or {}):
        if (type(model).__name__, key) not in KNOWN_TO_SARIF:
            problems.append(f"{path}.{key}")
    for name in type(model).model_fields:
        value = getattr(model, name)
        items = value if isinstance(value, list) else (
            value.values() if isinstance(value, dict) else [value])
        for index, item in enumerate(items):
            if isinstance(item, BaseModel):
                problems += unknown_properties(item, f"{path}.{name}[{index}]")
    return problems


def github_problems(log):
    problems = []
    expect = lambda ok, what: None if ok else problems.append(what)
    expect(log["version"] == "2.1.0", "version is not 2.1.0")
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    expect(driver.get("name") == "rayify", "tool.driver.name")
    rules = driver.get("rules", [])
    expect(len(rules) >= 10, "fewer than ten rules")
    for rule in rules:
        for key in ("id", "shortDescription", "fullDescription", "help", "helpUri"):
            expect(key in rule, f"rule {rule.get('id')} lacks {key}")
        expect(rule.get("helpUri", "").endswith(f"/{rule['id']}.md"),
               f"rule {rule['id']}: helpUri does not link its page")
        expect(bool(rule.get("help", {}).get("text")), f"rule {rule['id']}: help.text")
    ids = [rule["id"] for rule in rules]
    results = run.get("results", [])
    expect(len(results) > 0, "no results to check")
    for result in results:
        where = f"result {result.get('ruleId')}"
        expect(result.get("ruleId") in ids, f"{where}: ruleId is no rule")
        expect(ids[result.get("ruleIndex", -1)] == result.get("ruleId"),
               f"{where}: ruleIndex does not point at its rule")
        expect(result.get("level") in ("note", "warning", "error"), f"{where}: level")
        expect(bool(result.get("message", {}).get("text")), f"{where}: message.text")
        location = result["locations"][0]["physicalLocation"]
        uri = location["artifactLocation"]["uri"]
        expect(not uri.startswith("/") and "://" not in uri,
               f"{where}: uri {uri} is not repository-relative")
        expect(location["artifactLocation"].get("uriBaseId") == "%SRCROOT%",
               f"{where}: uriBaseId")
        region = location["region"]
        expect(region["startLine"] >= 1 and region["startColumn"] >= 1,
               f"{where}: region start")
        expect(region["endLine"] >= region["startLine"], f"{where}: region end line")
        expect(region["endColumn"] >= 1, f"{where}: region end column")
        expect(bool(result.get("partialFingerprints")), f"{where}: partialFingerprints")
    return problems


def main():
    rayify, cases = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as work:
        sarif = f"{work}/lint.sarif"
        import glob
        files = sorted(glob.glob(f"{cases}/*.cpp"))
        run = subprocess.run([rayify, "lint", "--format", "sarif", "--output", sarif,
                              "--project-root", cases, "--fail-on", "never", *files],
                             capture_output=True, text=True, timeout=600)
        if run.returncode != 0:
            print(f"rayify lint exited {run.returncode}:\n{run.stderr}")
            return 1
        text = open(sarif).read()
    model = Sarif.model_validate_json(text)  # raises on a log the model rejects
    problems = unknown_properties(model) + github_problems(json.loads(text))
    for problem in problems:
        print(f"FAIL: {problem}")
    results = len(json.loads(text)["runs"][0]["results"])
    print(f"sarif: {results} results over {len(files)} files validated by sarif-pydantic; "
          f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
