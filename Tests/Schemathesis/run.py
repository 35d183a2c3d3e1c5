#!/usr/bin/env python3
"""Run Schemathesis against every Homeward service's OpenAPI document.

    python3 Tests/Schemathesis/run.py [--token TOKEN] [--max-examples N] [--seed N] [--demo]
        [--intake URL] [--health URL] [--travel URL] [--reintegration URL]
        [--bin DIR] [--report DIR] [-- EXTRA SCHEMATHESIS ARGUMENTS]

With no service URL it starts the local stack itself (`homeward up` from --bin, default
.build/debug, so run `swift build` first) on a fresh data directory and free ports, and
stops it at the end. With URLs it tests only those services, already running.

--demo runs the demo cases first (`homeward up --demo`), then gives Schemathesis the ids
they left (cases, travellers, bookings, disbursements, flights) for path parameters in
most test cases, so that operations reach real records and not only 404s. Those records
get changed by the run.

Each service is tested from the document it serves at `/openapi.yaml`, with the checks
and phases of schemathesis.toml beside this script (which says why each excluded check
does not apply). `--token` (or HOMEWARD_TOKEN) is sent as `Authorization: Bearer TOKEN`.

Prints Schemathesis's report per service, then one summary line per service. Exit
status: 0 when every service passes, 1 when one fails, 2 when the run cannot start
(schemathesis not installed, the stack not built or not ready).
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPOSITORY = os.path.dirname(os.path.dirname(HERE))
CONFIG = os.path.join(HERE, "schemathesis.toml")
SCHEMATHESIS_VERSION = "4.32.5"  # as deploy/local/install-deps.sh installs it
# (flag, service, offset from homeward up's --port-base)
SERVICES = [("intake", "intake", 0), ("health", "health-screening", 1),
            ("travel", "travel-booking", 2), ("reintegration", "reintegration", 3)]


def fail(message):
    print(f"run.py: {message}", file=sys.stderr)
    sys.exit(2)


def schemathesis_command():
    """The `st` of the Python running this script, whether or not its bin is on PATH."""
    try:
        import schemathesis  # noqa: F401
        from importlib.metadata import version
    except ImportError:
        fail(f"schemathesis is not installed; run `make deps` (or python3 -m pip install schemathesis=={SCHEMATHESIS_VERSION})")
    installed = version("schemathesis")
    if installed != SCHEMATHESIS_VERSION:
        print(f"run.py: schemathesis {installed} is installed; this run is pinned to {SCHEMATHESIS_VERSION}", file=sys.stderr)
    return [sys.executable, "-c", "import sys; from schemathesis.cli import schemathesis; sys.argv[0] = 'st'; schemathesis()"]


def free_port_run(count):
    """The first of `count` consecutive free loopback ports."""
    def free(port):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return True
            except OSError:
                return False
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            first = s.getsockname()[1]
        if first + count < 65536 and all(free(first + i) for i in range(1, count)):
            return first


def ready(url, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/health/ready", timeout=2) as reply:
                if reply.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


class Stack:
    """`homeward up` on a data directory of its own, stopped with SIGTERM."""

    def __init__(self, bin_dir, demo=False):
        self.bin_dir = bin_dir
        homeward = os.path.join(bin_dir, "homeward")
        if not os.access(homeward, os.X_OK):
            fail(f"{homeward} is not built: run `swift build` first (or pass --bin)")
        self.directory = tempfile.mkdtemp(prefix="homeward-schemathesis-")
        self.base = free_port_run(4)
        self.log = open(os.path.join(self.directory, "up.log"), "wb")
        self.process = subprocess.Popen(
            [homeward, "up", "--data", os.path.join(self.directory, "data"), "--port-base", str(self.base)]
            + (["--demo"] if demo else []),
            stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.urls = {flag: f"http://127.0.0.1:{self.base + offset}" for flag, _, offset in SERVICES}

    def wait(self, timeout=120):
        deadline = time.monotonic() + timeout
        for url in self.urls.values():
            if self.process.poll() is not None or not ready(url, max(1, deadline - time.monotonic())):
                self.stop()
                with open(os.path.join(self.directory, "up.log"), encoding="utf-8", errors="replace") as log:
                    tail = log.read()[-3000:]
                fail(f"the local stack did not become ready at {url}; homeward up said:\n{tail}")

    def wait_for_demo(self, timeout=400):
        """The demo prints the cases' timelines once every case is through."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            with open(os.path.join(self.directory, "up.log"), encoding="utf-8", errors="replace") as log:
                text = log.read()
            if "homeward up: " in text:
                fail("the demo failed: " + text[-2000:])
            if "The timeline of case" in text:
                time.sleep(3)
                return
            time.sleep(1)
        fail("the demo did not finish")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        shutil.rmtree(self.directory, ignore_errors=True)

    def token(self):
        """A token holding every role, signed with the development key `homeward up` made."""
        roles = ["caseworker", "health-officer", "movement-officer", "reintegration-officer", "supervisor", "auditor", "operator",
                 "data-protection-officer"]
        command = [os.path.join(self.bin_dir, "homeward"), "token", "--dev-key", os.path.join(self.directory, "data", "auth-dev.key"),
                   "--subject", "schemathesis"]
        for role in roles:
            command += ["--role", role]
        return subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True).stdout.strip()


PATH_PARAMETERS = ["caseID", "travellerID", "bookingID", "disbursementID", "flightNumber"]


def get_bytes(url, token):
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return answer.read()


def get_json(url, token):
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return json.loads(reply.read())
    except (OSError, ValueError):
        return None


def collect_ids(urls, token):
    """Every id the services' records show, by path parameter name."""
    found = {name: set() for name in PATH_PARAMETERS}
    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in found and isinstance(value, str):
                    found[key].add(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
    walk(get_json(urls["intake"] + "/cases?limit=500", token))
    for case in sorted(found["caseID"]):
        for flag in ("intake", "travel", "reintegration"):
            walk(get_json(f"{urls[flag]}/cases/{case}", token))
        for n in range(1, 7):
            walk(get_json(f"{urls['health']}/travellers/{case}-T{n}", token))
    return {name: sorted(values) for name, values in found.items() if values}


def config_with_ids(ids, directory):
    """schemathesis.toml plus dictionaries of real ids, used for 80% of path parameters."""
    text = open(CONFIG, encoding="utf-8").read() + "\n# Ids the demo left, from run.py --demo.\n"
    for name, values in ids.items():
        text += f"[dictionaries.{name}]\nvalues = {json.dumps(values)}\n"
    text += "[parameters]\n" + "".join(f'"path.{name}" = {{ dictionary = "{name}", probability = 0.8 }}\n' for name in ids)
    path = os.path.join(directory, "schemathesis-demo.toml")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path


def summary_of(output):
    """(operations tested, test cases generated, failures) from Schemathesis's report."""
    tested = re.search(r"Tested:\s+(\d+)", output)
    generated = re.search(r"(\d+) generated", output)
    failures = re.search(r"(\d+) unique failures?", output)
    return (tested.group(1) if tested else "?", generated.group(1) if generated else "?",
            failures.group(1) if failures else "0")


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--token", default=os.environ.get("HOMEWARD_TOKEN"),
                        help="bearer token sent with every request (default: $HOMEWARD_TOKEN)")
    parser.add_argument("--max-examples", type=int, default=100, help="test cases per operation and phase (default 100)")
    parser.add_argument("--seed", type=int, help="Schemathesis's random seed, to repeat a run")
    for flag, service, _ in SERVICES:
        parser.add_argument(f"--{flag}", metavar="URL", help=f"a running {service} (default: start the stack)")
    parser.add_argument("--demo", action="store_true",
                        help="run the demo cases first and test with the ids they left (only when starting the stack)")
    parser.add_argument("--bin", default=os.path.join(REPOSITORY, ".build", "debug"),
                        help="folder of the built executables, for starting the stack (default .build/debug)")
    parser.add_argument("--report", metavar="DIR", help="also write a JUnit report per service here")
    parser.add_argument("extra", nargs="*", help="after --: more arguments for `st run`")
    options = parser.parse_args()

    st = schemathesis_command()
    urls = {flag: getattr(options, flag) for flag, _, _ in SERVICES if getattr(options, flag)}
    stack = None
    config = CONFIG
    if not urls:
        stack = Stack(options.bin, demo=options.demo)
        stack.wait()
        urls = stack.urls
        if not options.token:
            options.token = stack.token()
        if options.demo:
            stack.wait_for_demo()
            ids = collect_ids(urls, options.token)
            print("ids from the demo: " + ", ".join(f"{len(v)} {k}" for k, v in ids.items()), flush=True)
            config = config_with_ids(ids, stack.directory)
    elif options.demo:
        fail("--demo starts the stack itself; give no service URL with it")
    else:
        for url in urls.values():
            if not ready(url.rstrip("/"), 30):
                fail(f"no ready service at {url}")

    results = []
    try:
        for flag, service, _ in SERVICES:
            if flag not in urls:
                continue
            base = urls[flag].rstrip("/")
            # The document itself needs a token, so it is fetched here and handed over as a file.
            document = os.path.join(tempfile.mkdtemp(prefix="homeward-openapi-"), f"{service}.yaml")
            with open(document, "wb") as out:
                out.write(get_bytes(f"{base}/openapi.yaml", options.token))
            # Not /openapi.yaml: Schemathesis parses the YAML it answers and then finds an
            # object where the document says a string.
            command = st + ["--config-file", config, "run", document, "--url", base, "--exclude-path", "/openapi.yaml",
                            "--max-examples", str(options.max_examples), "--no-color"]
            if options.seed is not None:
                command += ["--seed", str(options.seed)]
            if options.token:
                command += ["--header", f"Authorization: Bearer {options.token}"]
            if options.report:
                os.makedirs(options.report, exist_ok=True)
                command += ["--report", "junit", "--report-junit-path", os.path.join(options.report, f"{service}.xml")]
            command += options.extra
            print(f"=== {service} at {base}", flush=True)
            started = time.monotonic()
            run = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            print(run.stdout, flush=True)
            results.append((service, run.returncode, summary_of(run.stdout), time.monotonic() - started))
    finally:
        if stack:
            stack.stop()

    print("Schemathesis summary:")
    for service, status, (tested, generated, failures), seconds in results:
        verdict = "pass" if status == 0 else f"FAIL ({failures} failures, exit {status})"
        print(f"  {service:17} {verdict}: {tested} operations, {generated} test cases, {seconds:.0f} s")
    return 0 if all(status == 0 for _, status, _, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
