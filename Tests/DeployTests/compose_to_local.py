#!/usr/bin/env python3
"""Render docker-compose.yml's application services and gateway for one host.

    python3 Tests/DeployTests/compose_to_local.py REPO --broker HOST:PORT --data DIR \\
        --port intake=P --port health-screening=P --port travel-booking=P \\
        --port reintegration=P --gateway-port G [--tls-port T]

For an integration test that runs the services exactly as compose defines them, but as
processes on one host against an embedded broker. Reads REPO/docker-compose.yml (merge
keys `<<` resolved, `${VAR:-default}`, `${VAR}` and `$$` interpolated as compose does
with an empty environment) and prints JSON on standard output:

    {"services": [{"name": "intake", "command": ["intake"], "environment": {...}}, ...],
     "gateway": {"config": "DIR/gateway/nginx.conf"}}

Application services are those whose `command` names one of the four binaries; they
are listed in compose's order. Each environment is what compose passes to the container,
with only these rewritten:

* KAFKA_BOOTSTRAP_SERVERS -> the --broker address;
* DATA_DIRECTORY          -> DIR/<service>;
* STORE_PATH              -> DIR/<service>/<basename of compose's STORE_PATH>;
* STORE_DIRECTORY         -> DIR/<service>/<basename of compose's STORE_DIRECTORY>;
* HTTP_PORT               -> the --port given for the service.

The first three and HTTP_PORT are set even if compose did not set them, since the
binaries' defaults would reach for ./data and the embedded broker's address file.
Everything else (KAFKA_TOPIC_CREATE=false, LOG_FORMAT=json, HTTP_HOST=0.0.0.0, ...) is
kept exactly. The DIR/<service> directories are created.

It also writes the gateway's nginx.conf (the file compose bind-mounts at
/etc/nginx/nginx.conf) to DIR/gateway/nginx.conf with four textual substitutions:
`listen 8080;` -> `listen 127.0.0.1:G;`, the line starting with `resolver 127.0.0.11`
removed, each `<service>:8080` -> `127.0.0.1:P`, and the TLS include's /etc/nginx/ ->
DIR/gateway/. With --tls-port T it writes there deploy/gateway/tls.conf, which the
production override mounts, with `listen 8443 ssl;` -> `listen 127.0.0.1:T ssl;` and
/run/secrets/ -> the secrets directory (HOMEWARD_SECRETS, else REPO/deploy/secrets). Run it as an ordinary user with
    nginx -e stderr -p DIR -c DIR/gateway/nginx.conf -g 'daemon off;'

Exit status: 0 done, 1 anything unexpected (bad arguments, a service without a --port,
a gateway config without one of the three substitution points), with one line on
standard error; 2 PyYAML is missing.
"""

import argparse
import json
import os
import re
import shlex
import sys

try:
    import yaml  # noqa: F401  (validate_compose needs it; checked here for a clear message)
except ImportError:
    print("compose_to_local.py: the Python package 'PyYAML' is not importable; run: pip install pyyaml",
          file=sys.stderr)
    sys.exit(2)

# The compose loader (merge keys, !override/!reset) and interpolation of validate_compose.py.
# No __pycache__ in the test target's directory.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import validate_compose as compose  # noqa: E402

BASE_FILE = "docker-compose.yml"
BINARIES = ("intake", "health-screening", "travel-booking", "reintegration")
GATEWAY_CONFIG_TARGET = "/etc/nginx/nginx.conf"
CONTAINER_PORT = "8080"


class Unexpected(Exception):
    """Anything that stops the rendering: one line, exit 1."""


class Arguments(argparse.ArgumentParser):
    def error(self, message):
        # Exit 1, not argparse's 2: 2 means "PyYAML is missing" to the caller.
        usage = " ".join(self.format_usage().split()).removeprefix("usage: ")
        raise Unexpected(f"{message} (usage: {usage})")


def parse_arguments(argv):
    parser = Arguments(prog="compose_to_local.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("repo", metavar="REPO")
    parser.add_argument("--broker", required=True, metavar="HOST:PORT")
    parser.add_argument("--data", required=True, metavar="DIR")
    parser.add_argument("--port", action="append", default=[], metavar="SERVICE=PORT")
    parser.add_argument("--gateway-port", required=True, type=port_number, metavar="G")
    parser.add_argument("--tls-port", type=port_number, metavar="T",
                        help="also serve HTTPS on T, as the production override's tls.conf does")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                        help="a variable of the shell compose runs in, for ${NAME} in the file")
    args = parser.parse_args(argv)
    args.shell = {}
    for item in args.env:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise Unexpected(f"--env {item!r} is not NAME=VALUE")
        args.shell[name] = value
    ports = {}
    for item in args.port:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise Unexpected(f"--port {item!r} is not SERVICE=PORT")
        if name in ports:
            raise Unexpected(f"--port {name} given twice")
        ports[name] = port_number(value)
    args.ports = ports
    return args


def port_number(text):
    if not str(text).isdigit() or not 1 <= int(text) <= 65535:
        raise Unexpected(f"{text!r} is not a port number (1-65535)")
    return int(text)


def compose_string(value):
    """A scalar as compose passes it to a container: YAML booleans as true/false."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def environment(service, name):
    """The environment compose gives the container (empty shell environment)."""
    if service.get("env_file"):
        raise Unexpected(f"service {name} uses env_file, which this renderer does not read")
    env = service.get("environment") or {}
    out = {}
    if isinstance(env, list):
        for item in env:
            key, sep, value = str(item).partition("=")
            if sep:                  # `- KEY` without = comes from the shell: unset here
                out[key] = value
    elif isinstance(env, dict):
        for key, value in env.items():
            if value is not None:    # `KEY:` with no value comes from the shell: unset here
                out[str(key)] = compose_string(value)
    else:
        raise Unexpected(f"service {name}: environment is neither a mapping nor a list")
    return out


def command(service, name):
    value = service.get("command")
    if isinstance(value, list):
        return [compose_string(v) for v in value]
    if isinstance(value, str):
        return shlex.split(value)
    raise Unexpected(f"service {name} has no command")


def load_project(repo, shell):
    path = os.path.join(repo, BASE_FILE)
    try:
        with open(path, encoding="utf-8") as handle:
            raw = compose.yaml.load(handle, Loader=compose.ComposeLoader)
    except OSError as error:
        raise Unexpected(f"cannot read {path}: {error.strerror}")
    except compose.yaml.YAMLError as error:
        raise Unexpected(f"{path} is not valid YAML: {' '.join(str(error).split())}")
    if not isinstance(raw, dict) or not isinstance(raw.get("services"), dict):
        raise Unexpected(f"{path} has no services mapping")
    project = compose.strip_tags(compose.interpolate(raw, BASE_FILE, env=shell))
    if compose.failures:   # e.g. ${VAR:?message} with VAR unset; the first says it
        raise Unexpected(compose.failures[0].removeprefix("FAIL "))
    return project


def render_services(project, args, data):
    services = []
    for name, service in project["services"].items():
        if not isinstance(service, dict) or service.get("profiles"):
            continue
        argv = service.get("command")
        if argv is None:
            continue
        argv = command(service, name)
        if not argv or os.path.basename(argv[0]) not in BINARIES:
            continue
        if name not in args.ports:
            raise Unexpected(f"no --port for application service {name}")
        env = environment(service, name)
        # A secret is mounted at /run/secrets/NAME; here the service reads the host file.
        secrets = {}
        for secret in service.get("secrets") or []:
            secret_name = secret if isinstance(secret, str) else secret.get("source")
            source = ((project.get("secrets") or {}).get(secret_name) or {}).get("file")
            if not source:
                raise Unexpected(f"service {name}: secret {secret_name} has no file")
            secrets[f"/run/secrets/{secret_name}"] = os.path.normpath(os.path.join(os.path.abspath(args.repo), source))
        for key, value in env.items():
            if value in secrets:
                env[key] = secrets[value]
        directory = os.path.join(data, name)
        env["KAFKA_BOOTSTRAP_SERVERS"] = args.broker
        env["DATA_DIRECTORY"] = directory
        for key in ("STORE_PATH", "STORE_DIRECTORY"):
            if key in env:
                env[key] = os.path.join(directory, os.path.basename(env[key].rstrip("/")))
        # In compose every service has its own container, so all listen on 8080; here they
        # share one host, so each gets its own port.
        env["HTTP_PORT"] = str(args.ports[name])
        services.append({"name": name, "command": argv, "environment": env})
    if not services:
        raise Unexpected(f"no application service (command one of {', '.join(BINARIES)}) in {BASE_FILE}")
    unknown = sorted(set(args.ports) - {s["name"] for s in services})
    if unknown:
        raise Unexpected(f"--port for {', '.join(unknown)}, which is not an application service")
    return services


def gateway_source(project, repo):
    """The file compose bind-mounts as /etc/nginx/nginx.conf."""
    for name, service in project["services"].items():
        for entry in (service or {}).get("volumes") or []:
            if isinstance(entry, str):
                parts = entry.split(":")
                source, target = parts[0], (parts[1] if len(parts) > 1 else "")
            elif isinstance(entry, dict):
                source, target = str(entry.get("source", "")), str(entry.get("target", ""))
            else:
                continue
            if target == GATEWAY_CONFIG_TARGET and source.startswith((".", "/")):
                return os.path.normpath(os.path.join(repo, source))
    raise Unexpected(f"no service in {BASE_FILE} mounts a file at {GATEWAY_CONFIG_TARGET} (the gateway)")


def render_gateway(source, services, gateway_port):
    try:
        with open(source, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as error:
        raise Unexpected(f"cannot read {source}: {error.strerror}")

    # 1. The listen line: loopback only, on the given port.
    text, count = re.subn(r"\blisten 8080;", f"listen 127.0.0.1:{gateway_port};", text)
    if count != 1:
        raise Unexpected(f"{source}: expected one `listen 8080;`, found {count}")
    # 2. Docker's DNS does not exist here; the upstreams become addresses.
    text, count = re.subn(r"^[ \t]*resolver 127\.0\.0\.11\b[^\n]*\n", "", text, flags=re.M)
    if count != 1:
        raise Unexpected(f"{source}: expected one line starting with `resolver 127.0.0.11`, found {count}")
    # 3. Each service's name:8080 becomes its local port.
    for service in services:
        name = service["name"]
        text, count = re.subn(rf"(?<![\w.-]){re.escape(name)}:{CONTAINER_PORT}\b",
                              f"127.0.0.1:{service['environment']['HTTP_PORT']}", text)
        if count == 0:
            raise Unexpected(f"{source}: {name}:{CONTAINER_PORT} does not appear")
    return text


def render_tls(repo, shell, tls_port):
    """deploy/gateway/tls.conf, as the production override mounts it, on this host: the
    listen line on loopback port T, and /run/secrets/ -> the directory compose reads the
    gateway's secrets from (HOMEWARD_SECRETS, or ./deploy/secrets)."""
    source = os.path.join(repo, compose.GATEWAY_TLS)
    try:
        with open(source, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as error:
        raise Unexpected(f"cannot read {source}: {error.strerror}")
    text, count = re.subn(r"^listen 8443 ssl;", f"listen 127.0.0.1:{tls_port} ssl;", text, flags=re.M)
    if count != 1:
        raise Unexpected(f"{source}: expected one `listen 8443 ssl;`, found {count}")
    secrets = os.path.normpath(os.path.join(repo, shell.get("HOMEWARD_SECRETS") or "./deploy/secrets"))
    text = text.replace("/run/secrets/", secrets + "/")
    return text


def main(argv):
    args = parse_arguments(argv)
    repo = os.path.abspath(args.repo)
    data = os.path.abspath(args.data)
    project = load_project(repo, args.shell)
    services = render_services(project, args, data)
    config = render_gateway(gateway_source(project, repo), services, args.gateway_port)

    for service in services:
        os.makedirs(service["environment"]["DATA_DIRECTORY"], exist_ok=True)
    gateway_dir = os.path.join(data, "gateway")
    os.makedirs(gateway_dir, exist_ok=True)
    config_path = os.path.join(gateway_dir, "nginx.conf")
    # 4. The TLS include reads from the gateway's directory here, never the host's /etc/nginx.
    config, count = re.subn(r"include /etc/nginx/(homeward-tls\*\.conf);", f"include {gateway_dir}/\\1;", config)
    if count != 1:
        raise Unexpected("nginx.conf: expected one `include /etc/nginx/homeward-tls*.conf;`")
    if args.tls_port is not None:
        with open(os.path.join(gateway_dir, "homeward-tls.conf"), "w", encoding="utf-8") as handle:
            handle.write(render_tls(repo, args.shell, args.tls_port))
    with open(config_path, "w", encoding="utf-8") as handle:
        handle.write(config)

    json.dump({"services": services, "gateway": {"config": config_path}}, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Unexpected as error:
        print(f"compose_to_local.py: {error}", file=sys.stderr)
        sys.exit(1)
    except SystemExit:
        raise
    except BaseException as error:  # noqa: BLE001  (anything else is unexpected too: exit 1)
        print(f"compose_to_local.py: unexpected {type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)
