#!/usr/bin/env python3
"""Check the AsyncAPI document of the event catalogue against the schema files.

    python3 validate_asyncapi.py [ASYNCAPI_YAML]

Default document: Shared/Model/Catalogue/asyncapi.yaml of this repository. Checks that
every $ref resolves (inside the document, or to an existing file and, with a fragment,
to a node inside it), that every schema file beside it in schemas/ is referenced, that
each operation's messages belong to its channel, and that each event message's name
(`homeward.<name>.v<major>`) matches the data schema it references.

Prints one line per failure and a summary line. Exit status: 0 all good, 1 failures,
2 PyYAML is not importable.
"""

import json
import os
import re
import sys

try:
    import yaml
except ImportError:
    print("validate_asyncapi.py: the Python package 'yaml' is not importable; run: pip install pyyaml",
          file=sys.stderr)
    sys.exit(2)

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT = os.path.join(HERE, "..", "..", "Shared", "Model", "Catalogue", "asyncapi.yaml")
ADDRESS = re.compile(r"^homeward\.[a-z0-9-]+\.(events|dlq)$")
MESSAGE_NAME = re.compile(r"^homeward\.([a-z0-9.-]+)\.v([1-9][0-9]*)$")


def pointer(document, fragment):
    """Resolves a JSON pointer (`/a/b`); raises KeyError or IndexError when it does not."""
    node = document
    if fragment in ("", "/"):
        return node
    for token in fragment.lstrip("/").split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def refs(node, where="#"):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield where, value
            else:
                yield from refs(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from refs(value, f"{where}/{index}")


def main(argv):
    path = os.path.abspath(argv[1] if len(argv) > 1 else DEFAULT)
    base = os.path.dirname(path)
    failures = []
    try:
        with open(path, encoding="utf-8") as f:
            document = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as exc:
        print(f"FAIL {path}: cannot read: {exc}")
        print("SUMMARY 1 failure(s)")
        return 1

    if str(document.get("asyncapi")) != "3.0.0":
        failures.append(f"asyncapi is {document.get('asyncapi')!r}, expected 3.0.0")

    referenced_files = set()
    external_cache = {}
    count = 0
    for where, ref in refs(document):
        count += 1
        target, _, fragment = ref.partition("#")
        if not target:
            try:
                pointer(document, fragment)
            except (KeyError, IndexError, ValueError, TypeError):
                failures.append(f"{where}: $ref {ref} does not resolve in the document")
            continue
        file_path = os.path.normpath(os.path.join(base, target))
        if not os.path.isfile(file_path):
            failures.append(f"{where}: $ref {ref}: no file {os.path.relpath(file_path, base)}")
            continue
        referenced_files.add(file_path)
        if fragment:
            try:
                if file_path not in external_cache:
                    with open(file_path, encoding="utf-8") as f:
                        external_cache[file_path] = json.load(f)
                pointer(external_cache[file_path], fragment)
            except (KeyError, IndexError, ValueError, TypeError):
                failures.append(f"{where}: $ref {ref} does not resolve in {target}")

    schemas_dir = os.path.join(base, "schemas")
    schema_files = sorted(f for f in os.listdir(schemas_dir) if f.endswith(".schema.json"))
    for name in schema_files:
        if os.path.normpath(os.path.join(schemas_dir, name)) not in referenced_files:
            failures.append(f"schemas/{name} is not referenced by the document")

    channels = document.get("channels") or {}
    for channel_id, channel in channels.items():
        address = (channel or {}).get("address", "")
        if not ADDRESS.match(str(address)):
            failures.append(f"channel {channel_id}: address {address!r} is not homeward.<service>.events|dlq")

    for operation_id, operation in (document.get("operations") or {}).items():
        channel_ref = ((operation or {}).get("channel") or {}).get("$ref", "")
        if operation.get("action") not in ("send", "receive"):
            failures.append(f"operation {operation_id}: action must be send or receive")
        for message in operation.get("messages") or []:
            message_ref = message.get("$ref", "")
            if not message_ref.startswith(channel_ref + "/messages/"):
                failures.append(f"operation {operation_id}: message {message_ref} is not one of {channel_ref}'s")

    for message_id, message in ((document.get("components") or {}).get("messages") or {}).items():
        match = MESSAGE_NAME.match(str(message.get("name", "")))
        if not match or message_id == "deadLetter":
            continue
        expected = f"./schemas/{match.group(1)}.v{match.group(2)}.schema.json"
        data_refs = [ref for _, ref in refs(message.get("payload")) if ref.endswith(".v" + match.group(2) + ".schema.json")]
        if data_refs != [expected]:
            failures.append(f"message {message_id}: data schema {data_refs} is not [{expected!r}]")

    for line in failures:
        print(f"FAIL {line}")
    print(f"SUMMARY {count} $ref(s), {len(schema_files)} schema file(s), {len(channels)} channel(s): "
          f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
