#!/usr/bin/env python3
"""Check that deploy/README.md documents exactly the configuration the services read.

    python3 Tests/DeployTests/check_env_table.py REPO

Collects every `reader.<type>(forKey: "a.b.c"` and `values.<type>("a.b.c"` in
Shared/Runtime/Configuration/ServiceConfiguration.swift, turns each key into the
environment variable swift-configuration's EnvironmentVariablesProvider reads
(`kafka.sasl.password` -> `KAFKA_SASL_PASSWORD`: camelCase split, upper case, anything
not a letter or digit -> `_`), adds `CONFIG_FILE`, and compares that set with the first
column of the table between `<!-- env-table:start -->` and `<!-- env-table:end -->` in
deploy/README.md: no variable missing, none extra, none twice. It also checks that each
row's config-key column maps to its variable, and that a default written as a plain
literal in Swift (`default: 12`, `default: "info"`) appears in the row's default column.

Prints one line per failure and a summary line. Exit status: 0 all good, 1 failures,
2 an input cannot be read (this script needs only the Python standard library).
"""

import os
import re
import sys

SOURCE = os.path.join("Shared", "Runtime", "Configuration", "ServiceConfiguration.swift")
README = os.path.join("deploy", "README.md")
START, END = "<!-- env-table:start -->", "<!-- env-table:end -->"
EXTRA = {"CONFIG_FILE": None}  # read by ServiceConfiguration.load, not through the reader

# reader.string(forKey: "http.host", default: "127.0.0.1")
# reader.string(forKey: "kafka.sasl.password", isSecret: true)
# values.int("http.port", default: 8081, in: 0...65535)  (StrictValues)
READ = re.compile(r'''(?:reader\s*\.\s*(\w+)\s*\(\s*forKey:\s*|values\s*\.\s*(\w+)\s*\(\s*)"([^"]+)"''')


def rest_of_call(source, index):
    """Arguments after the key, up to the call's closing parenthesis. Handles nested
    parentheses and string literals with \\( ) interpolations (single-line strings)."""
    stack = ["call"]          # open parentheses: "call", "paren" or "interpolation"
    in_string = False
    i = index
    while i < len(source):
        c = source[i]
        if in_string:
            if c == "\\" and source[i + 1:i + 2] == "(":
                stack.append("interpolation")
                in_string = False
                i += 2
                continue
            if c == "\\":
                i += 2
                continue
            if c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c == "(":
            stack.append("paren")
        elif c == ")":
            closed = stack.pop()
            if closed == "interpolation":
                in_string = True
            elif not stack:
                return source[index:i]
        i += 1
    return source[index:]


def default_argument(arguments):
    """The expression after `default:` at the top level of the remaining arguments."""
    m = re.search(r"\bdefault:\s*", arguments)
    if not m:
        return None
    return arguments[m.end():].strip()


def env_name(key):
    """swift-configuration's EnvironmentKeyEncoder, for a dotted key."""
    parts = []
    for component in key.split("."):
        component = re.sub(r"(?<=[a-z])(?=[A-Z])", "_", component)
        parts.append("".join(c if c.isalnum() else "_" for c in component.upper()))
    return "_".join(parts)


def plain_default(expression):
    """The literal text of a default that is a plain literal, or None."""
    expression = expression.strip()
    m = re.fullmatch(r'"([^"\\]*)"', expression)
    if m:
        return m.group(1)
    if re.fullmatch(r"-?\d+(?:\.\d+)?|true|false", expression):
        return expression
    return None


def read(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError as error:
        print(f"check_env_table.py: cannot read {path}: {error}", file=sys.stderr)
        sys.exit(2)


def main(argv):
    if len(argv) != 2:
        print("usage: check_env_table.py REPO", file=sys.stderr)
        return 2
    repo = argv[1]
    source = read(os.path.join(repo, SOURCE))
    # Service-specific settings are read through `config.values` (or `config.reader`) in each service.
    services = os.path.join(repo, "Services")
    for folder, _, files in sorted(os.walk(services)):
        for name in sorted(files):
            if name.endswith(".swift"):
                text = read(os.path.join(folder, name))
                if ("reader." in text and "forKey:" in text) or "config.values" in text:
                    source += "\n" + text
    readme = read(os.path.join(repo, README))
    failures = []

    expected = dict(EXTRA)        # variable -> key (None for CONFIG_FILE)
    defaults = {}                 # variable -> literal default
    for m in READ.finditer(source):
        method, key = m.group(1) or m.group(2), m.group(3)
        rest = rest_of_call(source, m.end())
        name = env_name(key)
        if name in expected and expected[name] != key:
            failures.append(f"FAIL {SOURCE}: keys {expected[name]} and {key} both map to {name}")
        expected[name] = key
        d = default_argument(rest)
        literal = plain_default(d) if d is not None else None
        if literal is not None:
            defaults[name] = literal
    if len(expected) == len(EXTRA):
        print(f"check_env_table.py: no reader.<type>(forKey:) calls found in {SOURCE}", file=sys.stderr)
        return 2

    start, end = readme.find(START), readme.find(END)
    if start < 0 or end < 0 or end < start:
        failures.append(f"FAIL {README}: markers {START} ... {END} not found (in that order)")
        rows = []
    else:
        rows = [line.strip() for line in readme[start + len(START):end].splitlines() if line.strip().startswith("|")]

    documented = {}
    header_seen = False
    for row in rows:
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        if all(re.fullmatch(r":?-{3,}:?", c) for c in cells if c):
            continue
        if not header_seen:
            header_seen = True
            if cells and cells[0].strip("` ").lower() == "variable":
                continue
        name = cells[0].strip("` ")
        if name in documented:
            failures.append(f"FAIL {README}: {name} is listed twice")
        documented[name] = cells
        if len(cells) < 4:
            failures.append(f"FAIL {README}: row for {name} has {len(cells)} columns, expected 4 (variable, key, default, meaning)")
            continue
        key_cell = cells[1].strip("` ")
        if expected.get(name) and env_name(key_cell) != name:
            failures.append(f"FAIL {README}: row {name} gives config key '{key_cell}', which maps to {env_name(key_cell)}")
        if not cells[3]:
            failures.append(f"FAIL {README}: row {name} has no meaning")
        shown = re.findall(r"`([^`]*)`", cells[2]) or [cells[2]]
        if name in defaults and defaults[name] not in shown:
            failures.append(f"FAIL {README}: row {name} default column '{cells[2]}' does not show the code's default {defaults[name]!r}")

    for name in sorted(set(expected) - set(documented)):
        key = expected[name]
        failures.append(f"FAIL {README}: missing {name}" + (f" (key {key} in {SOURCE})" if key else ""))
    for name in sorted(set(documented) - set(expected)):
        failures.append(f"FAIL {README}: {name} is documented but not read by {SOURCE}")

    for line in failures:
        print(line)
    if failures:
        print(f"check_env_table: {len(failures)} failure(s); {len(expected)} variables expected, {len(documented)} documented")
        return 1
    print(f"check_env_table: ok: {len(expected)} variables documented, matching {SOURCE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
