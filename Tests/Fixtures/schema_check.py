"""Checks wordmill's generated JSON Schema with the reference validator, Python's jsonschema.

Usage: schema_check.py SCHEMA CASES, where CASES is a JSON array of {"file": path, "valid":
true|false, "name": optional label}. The schema must itself be a valid draft 2020-12 schema;
each case's file must pass it when "valid" is true and fail it when false. Prints one line per
mismatch and ends with "N passed, N failed"; exits 1 on any failure.
"""
import json
import sys

import jsonschema


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    with open(sys.argv[2], encoding="utf-8") as f:
        cases = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    passed = failed = 0
    for case in cases:
        with open(case["file"], encoding="utf-8") as f:
            spec = json.load(f)
        errors = list(validator.iter_errors(spec))
        label = case.get("name", case["file"])
        if case["valid"] and errors:
            failed += 1
            print(f"FAIL {label}: rejected: {errors[0].json_path}: {errors[0].message[:300]}")
        elif not case["valid"] and not errors:
            failed += 1
            print(f"FAIL {label}: accepted, but wordmill rejects it")
        else:
            passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
