#!/usr/bin/env python3
"""Validate Homeward events (CloudEvents JSON files) against the event catalogue's schemas.

    python3 validate_events.py EVENTS_DIR SCHEMAS_DIR [--no-coverage]

Every `*.json` file in EVENTS_DIR is one structured-mode CloudEvent. Each is checked
against `cloudevent.schema.json`, and its `data` against `<name>.v<major>.schema.json`
named by its `type` (`homeward.<name>.v<major>`); `source` and `dataschema` must agree
with the type.

Unless --no-coverage is given, the files are taken to be the catalogue's full set of
examples (as the contract test writes them), and the script also fails when an enum value
of a schema never occurs, an optional property is never present or never absent, or a
schema has no event at all.

Prints one line per failure and a summary line. Failure lines may quote values (they
are meant for examples and test data, not for real cases). Exit status: 0 all good,
1 failures, 2 jsonschema (with date-time format checking) is not available.
"""

import json
import os
import re
import sys

try:
    from jsonschema import Draft202012Validator
except ImportError:
    print("validate_events.py: the Python package 'jsonschema' is not importable; "
          "run: pip install jsonschema rfc3339-validator", file=sys.stderr)
    sys.exit(2)

FORMAT_CHECKER = Draft202012Validator.FORMAT_CHECKER
if FORMAT_CHECKER.conforms("not-an-instant", "date-time"):
    # jsonschema checks date-time only when rfc3339-validator is installed; without it
    # the check passes silently, which would make this script lie.
    print("validate_events.py: jsonschema cannot check the date-time format; "
          "run: pip install 'jsonschema[format]' (or rfc3339-validator)", file=sys.stderr)
    sys.exit(2)

ENVELOPE = "cloudevent.schema.json"
TYPE_PATTERN = re.compile(r"^homeward\.([a-z0-9.-]+)\.v([1-9][0-9]*)$")


def message(error, limit=240):
    text = error.message
    return text if len(text) <= limit else text[:limit] + "..."


def error_path(error):
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    return path.lstrip(".") or "(root)"


def load_schemas(directory, failures):
    schemas = {}
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".schema.json"):
            continue
        path = os.path.join(directory, name)
        try:
            with open(path, encoding="utf-8") as f:
                schema = json.load(f)
            Draft202012Validator.check_schema(schema)
        except Exception as exc:  # noqa: BLE001 - report any unreadable schema
            failures.append(f"{name}: not a valid draft 2020-12 schema: {str(exc).splitlines()[0]}")
            continue
        schemas[name] = schema
    return schemas


class Coverage:
    """Which enum values and optional properties the examples of one schema exercise."""

    def __init__(self):
        self.enum_allowed = {}   # location -> list of allowed values
        self.enum_seen = {}      # location -> set of seen values (JSON text)
        self.optional = {}       # location -> [seen present, seen absent]

    def walk(self, root, node, location, instance):
        if not isinstance(node, dict):
            return
        if "$ref" in node and node["$ref"].startswith("#/$defs/"):
            name = node["$ref"][len("#/$defs/"):]
            target = root.get("$defs", {}).get(name)
            self.walk(root, target, name, instance)
            return
        if "enum" in node:
            self.enum_allowed[location] = node["enum"]
            self.enum_seen.setdefault(location, set()).add(json.dumps(instance, sort_keys=True))
        properties = node.get("properties")
        if isinstance(properties, dict) and isinstance(instance, dict):
            required = set(node.get("required", []))
            for prop, sub in properties.items():
                where = f"{location}.{prop}" if location else prop
                if prop not in required:
                    seen = self.optional.setdefault(where, [False, False])
                    seen[0 if prop in instance else 1] = True
                if prop in instance:
                    self.walk(root, sub, where, instance[prop])
        items = node.get("items")
        if isinstance(items, dict) and isinstance(instance, list):
            for element in instance:
                self.walk(root, items, f"{location}[]", element)

    def gaps(self):
        for where, (present, absent) in sorted(self.optional.items()):
            if not present:
                yield f"optional property '{where}' is never present"
            if not absent:
                yield f"optional property '{where}' is never absent"
        for where, allowed in sorted(self.enum_allowed.items()):
            seen = self.enum_seen.get(where, set())
            missing = [v for v in allowed if json.dumps(v, sort_keys=True) not in seen]
            if missing:
                yield f"enum '{where}' never takes {', '.join(map(str, missing))}"


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    coverage_on = "--no-coverage" not in argv
    if len(args) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    events_dir, schemas_dir = args
    failures = []
    schemas = load_schemas(schemas_dir, failures)
    if ENVELOPE not in schemas:
        failures.append(f"{ENVELOPE}: missing from {schemas_dir}")
        for line in failures:
            print(f"FAIL {line}")
        print(f"SUMMARY 0 events checked, {len(failures)} failure(s)")
        return 1
    envelope = Draft202012Validator(schemas[ENVELOPE], format_checker=FORMAT_CHECKER)
    validators = {name: Draft202012Validator(s, format_checker=FORMAT_CHECKER)
                  for name, s in schemas.items() if name != ENVELOPE}
    coverage = {name: Coverage() for name in validators}
    envelope_coverage = Coverage()
    counted = {name: 0 for name in validators}

    files = sorted(f for f in os.listdir(events_dir) if f.endswith(".json"))
    for file_name in files:
        try:
            with open(os.path.join(events_dir, file_name), encoding="utf-8") as f:
                event = json.load(f)
        except (OSError, ValueError) as exc:
            failures.append(f"{file_name}: not JSON: {exc}")
            continue
        for error in sorted(envelope.iter_errors(event), key=lambda e: list(e.absolute_path)):
            failures.append(f"{file_name}: envelope {error_path(error)}: {message(error)}")
        if not isinstance(event, dict):
            continue
        envelope_coverage.walk(schemas[ENVELOPE], schemas[ENVELOPE], "", event)
        match = TYPE_PATTERN.match(str(event.get("type", "")))
        if not match:
            continue  # already reported by the envelope schema
        name, major = match.group(1), match.group(2)
        schema_file = f"{name}.v{major}.schema.json"
        if schema_file not in validators:
            failures.append(f"{file_name}: no schema {schema_file} for type {event['type']}")
            continue
        expected_schema = schemas[schema_file].get("$id")
        if event.get("dataschema") != expected_schema:
            failures.append(f"{file_name}: dataschema {event.get('dataschema')!r} is not {expected_schema!r}")
        expected_source = "/homeward/" + name.split(".")[0]
        if event.get("source") != expected_source:
            failures.append(f"{file_name}: source {event.get('source')!r} is not {expected_source!r}")
        data = event.get("data")
        errors = sorted(validators[schema_file].iter_errors(data), key=lambda e: list(e.absolute_path))
        for error in errors:
            failures.append(f"{file_name}: data {error_path(error)}: {message(error)}")
        counted[schema_file] += 1
        coverage[schema_file].walk(schemas[schema_file], schemas[schema_file], "", data)

    if coverage_on:
        for schema_file, count in sorted(counted.items()):
            if count == 0:
                failures.append(f"{schema_file}: no event was checked against it")
                continue
            for gap in coverage[schema_file].gaps():
                failures.append(f"{schema_file}: coverage: {gap}")
        if files:
            for gap in envelope_coverage.gaps():
                failures.append(f"{ENVELOPE}: coverage: {gap}")

    for line in failures:
        print(f"FAIL {line}")
    checked = sum(counted.values())
    print(f"SUMMARY {len(files)} event file(s), {checked} data payload(s) checked against "
          f"{len(validators)} event schema(s): {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
