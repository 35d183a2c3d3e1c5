#!/usr/bin/env bash
# Installs what building and testing Homeward needs and this machine lacks:
# librdkafka and SQLite headers (Debian packages), nginx, openssl and curl (the gateway test
# runs Debian's nginx as an ordinary user, over TLS too), iproute2 and socat (hosts as
# network namespaces), valgrind (the benchmarks' instruction counts), jsonschema and PyYAML (for the contract and deployment
# checks), Schemathesis (the API conformance run, Tests/Schemathesis). Safe to run again;
# installs nothing already there.
set -euo pipefail

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian's nginx package starts the daemon on port 80 from its postinst (invoke-rc.d).
# That must neither fail the install (no init system in a container, port 80 taken) nor
# leave a daemon running, so service starts are forbidden while apt-get runs: a
# temporary /usr/sbin/policy-rc.d that exits 101 ("action forbidden"). One that is
# already there (Docker's Debian images ship one) is left alone.
policy_rc=/usr/sbin/policy-rc.d
remove_policy_rc=false
cleanup() { if $remove_policy_rc; then as_root rm -f "$policy_rc"; fi; }
trap cleanup EXIT
forbid_service_starts() {
  if [ ! -e "$policy_rc" ] && [ ! -L "$policy_rc" ]; then
    printf '#!/bin/sh\n# Temporary, from deploy/local/install-deps.sh: no service starts during apt-get.\nexit 101\n' \
      | as_root tee "$policy_rc" >/dev/null
    as_root chmod 0755 "$policy_rc"
    remove_policy_rc=true
  fi
}

missing=()
pkg-config --exists rdkafka 2>/dev/null || missing+=(librdkafka-dev)
pkg-config --exists sqlite3 2>/dev/null || missing+=(libsqlite3-dev)
command -v pkg-config >/dev/null || missing+=(pkg-config)
command -v python3 >/dev/null || missing+=(python3 python3-pip)
# /usr/sbin is often not on an ordinary user's PATH.
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
# The hosts test: network namespaces (iproute2) and socat, which carries the embedded
# broker's loopback port into each namespace.
command -v ip >/dev/null || [ -x /usr/sbin/ip ] || [ -x /sbin/ip ] || missing+=(iproute2)
command -v socat >/dev/null || missing+=(socat)
# The gateway's TLS test: a certificate made with openssl, asked for with curl.
command -v openssl >/dev/null || missing+=(openssl)
command -v curl >/dev/null || missing+=(curl)
# Instruction counts of the benchmarks (`--callgrind`), which the suite runs once.
command -v valgrind >/dev/null || missing+=(valgrind)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  # Lists fetched in the last hour (CI's own `apt-get update`) are fresh enough.
  if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -60 -print -quit 2>/dev/null)" ]; then
    as_root apt-get update -qq
  fi
  forbid_service_starts
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  cleanup
  remove_policy_rc=false
fi

# The contract and deployment checks (Tests/*.py); openapi_check.py validates the documents.
if ! python3 -c 'import jsonschema, yaml, openapi_spec_validator' 2>/dev/null; then
  echo "installing jsonschema, PyYAML and openapi-spec-validator"
  python3 -m pip install --quiet jsonschema pyyaml openapi-spec-validator 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages jsonschema pyyaml openapi-spec-validator
fi

# Pinned: Tests/Schemathesis/run.py and its schemathesis.toml are written for this version,
# and its dependencies to the versions of Tests/Schemathesis/constraints.txt.
schemathesis_version=4.32.5
if [ "$(python3 -c 'from importlib.metadata import version; print(version("schemathesis"))' 2>/dev/null)" != "$schemathesis_version" ]; then
  echo "installing schemathesis $schemathesis_version"
  constraints="$(dirname "$0")/../../Tests/Schemathesis/constraints.txt"
  python3 -m pip install --quiet -c "$constraints" "schemathesis==$schemathesis_version" 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages -c "$constraints" "schemathesis==$schemathesis_version"
fi

command -v swift >/dev/null || { echo "Swift 6.2 or newer is needed (swift not on PATH)" >&2; exit 1; }
