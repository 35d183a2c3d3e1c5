#!/usr/bin/env bash
# Installs what building and testing Homeward needs and this machine lacks:
# librdkafka and SQLite headers (Debian packages), jsonschema and PyYAML (for the
# contract and deployment checks). Safe to run again; installs nothing already there.
set -euo pipefail

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
pkg-config --exists rdkafka 2>/dev/null || missing+=(librdkafka-dev)
pkg-config --exists sqlite3 2>/dev/null || missing+=(libsqlite3-dev)
command -v pkg-config >/dev/null || missing+=(pkg-config)
command -v python3 >/dev/null || missing+=(python3 python3-pip)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! python3 -c 'import jsonschema, yaml' 2>/dev/null; then
  echo "installing jsonschema and PyYAML"
  python3 -m pip install --quiet jsonschema pyyaml 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages jsonschema pyyaml
fi

command -v swift >/dev/null || { echo "Swift 6.2 or newer is needed (swift not on PATH)" >&2; exit 1; }
