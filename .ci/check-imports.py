#!/usr/bin/env python3
"""Fails when a target imports a module of this package, or of a package it depends on,
without naming it among its own dependencies in Package.swift.

SwiftPM builds such a target as long as the module is reachable through another dependency,
so undeclared imports pile up unseen and the real dependency graph drifts from the declared
one. Reads `swift package dump-package`; prints each offending import with file and line.
"""
import json
import os
import re
import subprocess
import sys

IMPORT = re.compile(r"^\s*(?:@testable\s+|@_implementationOnly\s+|(?:public|package|internal)\s+)?import\s+(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?([A-Za-z_][A-Za-z0-9_]*)")


def main() -> int:
    package = json.loads(subprocess.run(["swift", "package", "dump-package"], check=True, capture_output=True, text=True).stdout)
    targets = {t["name"]: t for t in package["targets"]}
    # Modules of products from other packages, by product name (e.g. ArgumentParser).
    products = set()
    for t in package["targets"]:
        for d in t["dependencies"]:
            if "product" in d:
                products.add(d["product"][0])
    known = set(targets) | products
    problems = []
    for name, target in sorted(targets.items()):
        if target["type"] == "system":
            continue
        declared = set()
        for d in target["dependencies"]:
            kind, value = next(iter(d.items()))
            declared.add(value[0])
        root = target.get("path") or (("Tests/" if target["type"] == "test" else "Sources/") + name)
        for folder, _, files in os.walk(root):
            for file in sorted(files):
                if not file.endswith(".swift"):
                    continue
                path = os.path.join(folder, file)
                with open(path, encoding="utf-8") as f:
                    for number, line in enumerate(f, 1):
                        m = IMPORT.match(line)
                        if m and m.group(1) in known and m.group(1) != name and m.group(1) not in declared:
                            problems.append(f"{path}:{number}: target {name} imports {m.group(1)} but does not declare it in Package.swift")
    for p in problems:
        print(p)
    print(f"import check: {len(problems)} undeclared import{'s' if len(problems) != 1 else ''} in {len(targets)} targets")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
