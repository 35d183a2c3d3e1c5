#!/usr/bin/env python3
"""Validate Homeward's compose files and the gateway's nginx configuration.

    python3 Tests/DeployTests/validate_compose.py REPO COMPOSE_SPEC_JSON

Checks, for REPO/docker-compose.yml, REPO/deploy/docker-compose.prod.yml and
REPO/deploy/docker-compose.host.yml (the last interpolated with HOST_ENV, the variables
an operator sets on each host):

* each file alone against the Compose Specification JSON schema (after interpolating
  ${VAR:-default} with the defaults, as compose would with an empty environment);
* each file alone: no service sets `container_name`, no application service publishes
  `ports` (a fixed host port or name breaks `--scale`);
* the stack as compose runs it, once for the base file and once for base + prod override
  (merged here with compose's rules, `!override`/`!reset` included):
  - every application service (one per case of ServiceName in
    Shared/Model/Envelope/ServiceName.swift) runs its own binary, has a healthcheck on
    /health/ready, a stop_grace_period longer than SHUTDOWN_GRACE_SECONDS (8 s), a named
    volume, and depends on kafka-init with condition service_completed_successfully,
    and points KAFKA_BOOTSTRAP_SERVERS only at Kafka nodes of the stack;
  - every active Kafka node has KAFKA_AUTO_CREATE_TOPICS_ENABLE false, and the nodes agree
    on CLUSTER_ID and the controller quorum;
  - kafka-init is one-shot, depends on every Kafka node being healthy, creates all eight
    topics homeward.<service>.{events,dlq} with --if-not-exists, sets their retention.ms
    and segment.ms on every run, and the changelogs' max.compaction.lag.ms
    (EVENTS_RETENTION_DAYS, DEAD_LETTERS_RETENTION_DAYS, CHANGELOG_COMPACTION_HOURS, which
    every application service's KAFKA_TOPIC_* setting of the same meaning equals), and asks
    for no more replicas than there are nodes;
  - exactly one service publishes a host port, and it is the `gateway`: one entry, to
    container port 8080 (8443 where deploy/gateway/tls.conf is mounted at
    /etc/nginx/homeward-tls.conf, with the certificate and key secrets it reads); it runs an nginx image with REPO/deploy/gateway/nginx.conf
    bind-mounted read-only as /etc/nginx/nginx.conf, has a healthcheck on
    /gateway/health, and depends on every application service;
* the stack of one host of several (base + host override): no Kafka node in it, kafka-init
  and every application service pointed at the same external bootstrap, every application
  service with STORE_CHANGELOG true and HTTP_ADVERTISED_URL
  http://<host address>:<gateway's published port>/<service>; the rest as above;
* REPO/deploy/gateway/nginx.conf: for every application service a `location /<service>/`
  block that strips the prefix (`rewrite ^/<service>/`) and proxies to a variable set to
  `<service>:8080` (so the name is resolved per request); `<service>:8080` appears only in
  that `set` line, and there is exactly one `listen 8080;`, one line starting with
  `resolver 127.0.0.11` and one `include /etc/nginx/homeward-tls*.conf;` (the points
  Tests/DeployTests/compose_to_local.py rewrites); deploy/gateway/tls.conf has one
  `listen 8443 ssl;` and reads its certificate and key from /run/secrets;
  and a `location = /gateway/health`;
* every application service reads STORE_KEYS_FILE from a secret that it alone mounts, each
  a file of its own (one key set per service), and none sets STORE_KEYS in the environment.

Prints one line per failure and a summary line. Exit status: 0 all good, 1 failures,
2 a Python module (jsonschema, PyYAML) is missing or an input cannot be read.

Tests/DeployTests/compose_to_local.py imports this file for its YAML loader and its
interpolation; only PyYAML is needed for that, jsonschema only when run as a script.
"""

import json
import os
import re
import sys

try:
    import yaml
except ImportError:
    print("validate_compose.py: the Python package 'PyYAML' is not importable; run: pip install pyyaml",
          file=sys.stderr)
    sys.exit(2)
try:
    import jsonschema
    from jsonschema.validators import validator_for
except ImportError:
    # Reported by main(): compose_to_local.py imports this module without needing it.
    jsonschema = None

BASE_FILE = "docker-compose.yml"
PROD_FILE = os.path.join("deploy", "docker-compose.prod.yml")
HOST_FILE = os.path.join("deploy", "docker-compose.host.yml")
# What an operator exports on each host before using HOST_FILE (it requires both).
HOST_ENV = {"HOMEWARD_KAFKA_BOOTSTRAP": "kafka-1.office:9092,kafka-2.office:9092,kafka-3.office:9092",
            "HOMEWARD_HOST_ADDRESS": "10.0.0.2"}
MIN_GRACE_SECONDS = 8  # ServiceConfiguration's shutdown.grace.seconds default
STORE_DIR = "/var/lib/homeward"
GATEWAY = "gateway"
GATEWAY_CONFIG = os.path.join("deploy", "gateway", "nginx.conf")
GATEWAY_CONFIG_TARGET = "/etc/nginx/nginx.conf"
GATEWAY_TLS = os.path.join("deploy", "gateway", "tls.conf")
GATEWAY_TLS_TARGET = "/etc/nginx/homeward-tls.conf"
TLS_PORT = "8443"
TLS_SECRETS = ["gateway-certificate.pem", "gateway-key.pem"]
SERVICE_PORT = "8080"  # HTTP_PORT of every application service inside its container

failures = []


def fail(where, message):
    failures.append(f"FAIL {where}: {message}")


# ---------------------------------------------------------------------------
# YAML with compose's merge tags

class Override:
    """A value tagged `!override`: replaces the base value instead of merging."""
    def __init__(self, value):
        self.value = value


class Reset:
    """A value tagged `!reset`: removes the base value."""


class ComposeLoader(yaml.SafeLoader):
    pass


def _construct_override(loader, node):
    if isinstance(node, yaml.MappingNode):
        return Override(loader.construct_mapping(node, deep=True))
    if isinstance(node, yaml.SequenceNode):
        return Override(loader.construct_sequence(node, deep=True))
    return Override(loader.construct_scalar(node))


ComposeLoader.add_constructor("!override", _construct_override)
ComposeLoader.add_constructor("!reset", lambda loader, node: Reset())


def strip_tags(value):
    """The document as compose's schema sees a single file: tags removed."""
    if isinstance(value, Override):
        return strip_tags(value.value)
    if isinstance(value, Reset):
        return None
    if isinstance(value, dict):
        return {k: strip_tags(v) for k, v in value.items() if not isinstance(v, Reset)}
    if isinstance(value, list):
        return [strip_tags(v) for v in value]
    return value


# ---------------------------------------------------------------------------
# Interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err}, ${VAR?err}, $VAR, $$

_VAR = re.compile(r"\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\}|([A-Za-z_][A-Za-z0-9_]*))")


def interpolate(value, where, env):
    if isinstance(value, dict):
        return {k: interpolate(v, f"{where}.{k}", env) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, f"{where}[{i}]", env) for i, v in enumerate(value)]
    if isinstance(value, Override):
        return Override(interpolate(value.value, where, env))
    if not isinstance(value, str):
        return value

    def replace(m):
        if m.group(1):
            return "$"
        name = m.group(2) or m.group(5)
        op, arg = m.group(3), m.group(4) or ""
        current = env.get(name)
        unset_or_empty = current is None or (current == "" and op and op.startswith(":"))
        if op in (":-", "-"):
            return interpolate(arg, where, env) if unset_or_empty else current
        if op in (":?", "?"):
            if unset_or_empty:
                fail(where, f"required variable {name} is not set ({arg})")
                return ""
            return current
        if op in (":+", "+"):
            return "" if unset_or_empty else interpolate(arg, where, env)
        return current or ""

    return _VAR.sub(replace, value)


# ---------------------------------------------------------------------------
# Merging an override file into the base (compose's rules, simplified)

REPLACED_LISTS = {"command", "entrypoint", "test", "profiles"}
UNIQUE_BY_TARGET = {"volumes", "secrets", "configs", "ports"}


def _target(entry):
    if isinstance(entry, str):
        parts = entry.split(":")
        return parts[1] if len(parts) > 1 else parts[0]
    if isinstance(entry, dict):
        return entry.get("target") or entry.get("source")
    return repr(entry)


def merge(base, over, key=None):
    if isinstance(over, Override):
        return over.value
    if isinstance(over, Reset):
        return None
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            if isinstance(v, Reset):
                out.pop(k, None)
            elif k in out:
                out[k] = merge(out[k], v, k)
            else:
                out[k] = v.value if isinstance(v, Override) else v
        return out
    if isinstance(base, list) and isinstance(over, list):
        if key in REPLACED_LISTS:
            return over
        if key in UNIQUE_BY_TARGET:
            merged = {_target(e): e for e in base}
            merged.update({_target(e): e for e in over})
            return list(merged.values())
        return base + [e for e in over if e not in base]
    return over


# ---------------------------------------------------------------------------
# Helpers

def service_names(repo):
    """Raw values of the ServiceName cases: the application services."""
    path = os.path.join(repo, "Shared", "Model", "Envelope", "ServiceName.swift")
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as error:
        print(f"validate_compose.py: cannot read {path}: {error}", file=sys.stderr)
        sys.exit(2)
    body = re.search(r"enum\s+ServiceName\b[^{]*\{(.*)", text, re.S)
    names = []
    for m in re.finditer(r"^\s*case\s+(\w+)(?:\s*=\s*\"([^\"]+)\")?\s*$", body.group(1) if body else "", re.M):
        names.append(m.group(2) or m.group(1))
    if not names:
        print(f"validate_compose.py: no ServiceName cases found in {path}", file=sys.stderr)
        sys.exit(2)
    return names


def environment(service):
    env = service.get("environment") or {}
    if isinstance(env, list):
        out = {}
        for item in env:
            name, _, value = str(item).partition("=")
            out[name] = value
        return out
    return {k: ("" if v is None else str(v)) for k, v in env.items()}


def seconds(duration):
    """Compose duration ('20s', '1m30s', '1500ms', 20) in seconds, or None."""
    if isinstance(duration, (int, float)):
        return float(duration)
    if not isinstance(duration, str) or not duration:
        return None
    units = {"h": 3600, "m": 60, "s": 1, "ms": 0.001, "us": 1e-6}
    total, pos = 0.0, 0
    for m in re.finditer(r"(\d+(?:\.\d+)?)(ms|us|h|m|s)", duration):
        if m.start() != pos:
            return None
        total += float(m.group(1)) * units[m.group(2)]
        pos = m.end()
    return total if pos == len(duration) else None


def command_text(service):
    parts = []
    for key in ("entrypoint", "command"):
        value = service.get(key)
        if isinstance(value, list):
            parts.extend(str(v) for v in value)
        elif value is not None:
            parts.append(str(value))
    return "\n".join(parts)


def is_false(value):
    return str(value).strip().lower() == "false"


def probes(service, path):
    """Whether the service's healthcheck is on and its test requests `path`."""
    health = service.get("healthcheck") or {}
    test = health.get("test")
    test_text = " ".join(test) if isinstance(test, list) else str(test or "")
    return bool(health) and not health.get("disable") and path in test_text


def depends_on(service):
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        return {name: {"condition": "service_started"} for name in deps}
    return deps


def active(project):
    """Services compose starts with no profile given."""
    return {n: s for n, s in (project.get("services") or {}).items() if not s.get("profiles")}


def kafka_nodes(services):
    nodes = {}
    for name, service in services.items():
        roles = environment(service).get("KAFKA_PROCESS_ROLES", "")
        if "broker" in roles.split(","):
            nodes[name] = service
    return nodes


# ---------------------------------------------------------------------------
# Checks

def check_single_file(where, doc, apps):
    for name, service in (doc.get("services") or {}).items():
        if "container_name" in service:
            fail(where, f"service {name} sets container_name (breaks --scale and parallel stacks)")
        if name in apps and service.get("ports"):
            fail(where, f"application service {name} publishes ports {service['ports']} (nothing goes on the host)")


def check_stack(where, project, apps, repo, external_kafka=False):
    """`external_kafka`: one host of several against a cluster outside the project."""
    services = active(project)
    volumes = project.get("volumes") or {}
    nodes = kafka_nodes(services)

    # Kafka nodes
    if external_kafka:
        if nodes:
            fail(where, f"Kafka nodes {sorted(nodes)} run on a host of several (the cluster runs elsewhere)")
    elif not nodes:
        fail(where, "no active Kafka node (a service with KAFKA_PROCESS_ROLES containing broker)")
    cluster_ids, voters = set(), set()
    for name, node in nodes.items():
        env = environment(node)
        if not is_false(env.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "true")):
            fail(where, f"Kafka node {name}: KAFKA_AUTO_CREATE_TOPICS_ENABLE must be false, "
                        f"is {env.get('KAFKA_AUTO_CREATE_TOPICS_ENABLE', '(unset, Kafka default true)')}")
        cluster_ids.add(env.get("CLUSTER_ID"))
        voters.add(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS"))
        for key in ("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"):
            value = env.get(key)
            if value is None:
                fail(where, f"Kafka node {name}: {key} is not set (Kafka's default 3 needs three brokers)")
            elif not value.isdigit() or int(value) > len(nodes):
                fail(where, f"Kafka node {name}: {key}={value} but the stack has {len(nodes)} node(s)")
        if not any(str(v).split(":")[0] and ":" in str(v) for v in node.get("volumes") or []):
            fail(where, f"Kafka node {name}: no volume for its data")
    if len(cluster_ids) > 1:
        fail(where, f"Kafka nodes disagree on CLUSTER_ID: {sorted(map(str, cluster_ids))}")
    if len(voters) > 1:
        fail(where, f"Kafka nodes disagree on KAFKA_CONTROLLER_QUORUM_VOTERS: {sorted(map(str, voters))}")
    elif voters and None not in voters:
        voter_hosts = {v.split("@")[1].split(":")[0] for v in next(iter(voters)).split(",") if "@" in v}
        if voter_hosts != set(nodes):
            fail(where, f"controller quorum {sorted(voter_hosts)} is not the set of Kafka nodes {sorted(nodes)}")

    # kafka-init
    init = services.get("kafka-init")
    init_bootstrap = None
    topics = [f"homeward.{s}.{kind}" for s in apps for kind in ("events", "dlq")]
    if init is None:
        fail(where, "no kafka-init service")
    else:
        text = command_text(init)
        env = environment(init)
        words = set(re.split(r"[\s,\"']+", text + "\n" + "\n".join(env.values())))
        for topic in topics:
            if topic not in words:
                fail(where, f"kafka-init does not create topic {topic}")
        for flag in ("kafka-topics.sh", "--create", "--if-not-exists", "--partitions", "--replication-factor"):
            if flag not in text:
                fail(where, f"kafka-init command lacks {flag}")
        # The stores' changelogs: created, and compacted (each row's latest value kept).
        for app in apps:
            if f"homeward.{app}.changelog" not in words:
                fail(where, f"kafka-init does not create topic homeward.{app}.changelog")
            if f"homeward.{app}.owners" not in words:
                fail(where, f"kafka-init does not create topic homeward.{app}.owners")
        if "--partitions 1" not in text:
            fail(where, "kafka-init does not create the owners topics with one partition")
        if "cleanup.policy=compact" not in text:
            fail(where, "kafka-init creates the changelog topics without --config cleanup.policy=compact")
        # Events and dead letters: an explicit retention, set again on every run, and the
        # services' inboxes told the same one.
        for flag in ("kafka-configs.sh", "--alter", "retention.ms=", "segment.ms=", "max.compaction.lag.ms="):
            if flag not in text:
                fail(where, f"kafka-init does not set the retention of events, dead letters and changelogs ({flag} missing)")
        for kind, variable, setting in (("events", "EVENTS_RETENTION_DAYS", "KAFKA_TOPIC_EVENTS_RETENTION_DAYS"),
                                        ("dlq", "DEAD_LETTERS_RETENTION_DAYS", "KAFKA_TOPIC_DLQ_RETENTION_DAYS"),
                                        ("changelog", "CHANGELOG_COMPACTION_HOURS", "KAFKA_TOPIC_CHANGELOG_COMPACTION_HOURS")):
            days = env.get(variable)
            if days is None or not str(days).isdigit():
                fail(where, f"kafka-init has no {variable} (the {kind} topics' retention)")
            for app in apps:
                if environment(services[app]).get(setting) != days:
                    fail(where, f"{app}: {setting} is {environment(services[app]).get(setting)!r}, kafka-init's {variable} {days!r}")
        if str(init.get("restart", "no")) != "no":
            fail(where, f"kafka-init restart is {init.get('restart')!r}, must be \"no\" (one-shot)")
        deps = depends_on(init)
        for node in nodes:
            if (deps.get(node) or {}).get("condition") != "service_healthy":
                fail(where, f"kafka-init does not wait for {node} with condition service_healthy")
        for dep in deps:
            if dep not in services:
                fail(where, f"kafka-init depends on {dep}, which is not an active service")
        replication = env.get("REPLICATION")
        if not external_kafka and replication is not None and (not replication.isdigit() or int(replication) > len(nodes) or int(replication) < 1):
            fail(where, f"kafka-init replication factor {replication} does not fit {len(nodes)} Kafka node(s)")
        bootstrap = env.get("BOOTSTRAP")
        if external_kafka:
            init_bootstrap = bootstrap
        elif bootstrap is not None:
            hosts = {h.split(":")[0] for h in bootstrap.split(",") if h}
            if not hosts <= set(nodes):
                fail(where, f"kafka-init bootstrap {bootstrap} names hosts that are not Kafka nodes")

    # Application services
    for app in apps:
        service = services.get(app)
        if service is None:
            fail(where, f"application service {app} is missing")
            continue
        env = environment(service)
        # ports and container_name: checked per file (check_single_file), where they come from.
        if not (service.get("image") or service.get("build")):
            fail(where, f"application service {app} has neither image nor build")
        command = service.get("command")
        if command not in ([app], app):
            fail(where, f"application service {app} runs {command!r}, expected [\"{app}\"]")

        if not probes(service, "/health/ready"):
            fail(where, f"application service {app} has no healthcheck on /health/ready")

        grace = seconds(service.get("stop_grace_period"))
        drain = env.get("SHUTDOWN_GRACE_SECONDS", str(MIN_GRACE_SECONDS))
        drain = float(drain) if drain.replace(".", "", 1).isdigit() else MIN_GRACE_SECONDS
        if grace is None:
            fail(where, f"application service {app} has no valid stop_grace_period (Docker's default 10 s is too short)")
        elif grace <= max(MIN_GRACE_SECONDS, drain):
            fail(where, f"application service {app}: stop_grace_period {grace:g}s must exceed the {max(MIN_GRACE_SECONDS, drain):g}s drain")

        named = []
        for entry in service.get("volumes") or []:
            if isinstance(entry, str):
                source, _, rest = entry.partition(":")
                target = rest.split(":")[0]
            else:
                source, target = entry.get("source"), entry.get("target")
                if entry.get("type", "volume") != "volume":
                    source = None
            if source and source in volumes and not source.startswith((".", "/", "~")):
                named.append((source, target))
        if not named:
            fail(where, f"application service {app} mounts no named volume")
        for key in ("STORE_DIRECTORY", "STORE_PATH"):
            store = env.get(key)
            if store and not any(store.startswith(target.rstrip("/") + "/") for _, target in named):
                fail(where, f"application service {app}: {key} {store} is not on its named volume")

        deps = depends_on(service)
        if (deps.get("kafka-init") or {}).get("condition") != "service_completed_successfully":
            fail(where, f"application service {app} does not depend on kafka-init with condition service_completed_successfully")

        bootstrap = env.get("KAFKA_BOOTSTRAP_SERVERS")
        if not bootstrap:
            fail(where, f"application service {app} has no KAFKA_BOOTSTRAP_SERVERS (it would look for the embedded broker)")
        else:
            hosts = {h.strip().split(":")[0] for h in bootstrap.split(",") if h.strip()}
            if external_kafka:
                if init is not None and bootstrap != init_bootstrap:
                    fail(where, f"application service {app}: KAFKA_BOOTSTRAP_SERVERS {bootstrap} is not kafka-init's BOOTSTRAP {init_bootstrap}")
            elif not hosts <= set(nodes):
                fail(where, f"application service {app}: KAFKA_BOOTSTRAP_SERVERS {bootstrap} names hosts that are not Kafka nodes {sorted(nodes)}")
        if external_kafka:
            # Stores move between hosts through the changelog; replicas reach each other
            # through the owner's host gateway, at the service's prefix.
            if str(env.get("STORE_CHANGELOG", "false")).lower() not in ("true", "1", "yes"):
                fail(where, f"application service {app}: STORE_CHANGELOG must be true on a host of several")
            advertised = env.get("HTTP_ADVERTISED_URL", "")
            gateway_ports = [published for published, _ in published_ports(services.get(GATEWAY) or {})]
            if not re.fullmatch(r"https?://[^/:]+:(\d+)/" + re.escape(app), advertised) or \
                    advertised.rsplit(":", 1)[1].split("/")[0] not in map(str, gateway_ports):
                fail(where, f"application service {app}: HTTP_ADVERTISED_URL {advertised!r} is not http://<host address>:<gateway port>/{app}")
        if env.get("HTTP_HOST") not in ("0.0.0.0", "::"):
            fail(where, f"application service {app}: HTTP_HOST must be 0.0.0.0 (with the default 127.0.0.1 nothing outside the container can reach it)")
        for name, value in env.items():
            if value == "" and name in ("KAFKA_PROPERTIES", "KAFKA_BOOTSTRAP_SERVERS", "KAFKA_SASL_PASSWORD"):
                fail(where, f"application service {app}: {name} is set to an empty string (not the same as unset)")

    check_store_keys(where, project, services, apps)
    check_gateway(where, services, apps, repo)


def secret_sources(service):
    """The secrets a service mounts, by the path it reads them at (/run/secrets/<target>)."""
    mounted = {}
    for entry in service.get("secrets") or []:
        source = entry if isinstance(entry, str) else entry.get("source")
        target = source if isinstance(entry, str) else entry.get("target", source)
        mounted[target if str(target).startswith("/") else f"/run/secrets/{target}"] = source
    return mounted


def check_store_keys(where, project, services, apps):
    """Each application service reads its store keys from a secret of its own: no other
    application service mounts it, and no two of those secrets are one file."""
    declared = project.get("secrets") or {}
    owners = {}
    for app in apps:
        service = services.get(app)
        if service is None:
            continue
        path = environment(service).get("STORE_KEYS_FILE")
        if environment(service).get("STORE_KEYS"):
            fail(where, f"application service {app}: STORE_KEYS is set in the environment; read it from a secret (STORE_KEYS_FILE)")
        source = secret_sources(service).get(path) if path else None
        if source is None:
            fail(where, f"application service {app}: STORE_KEYS_FILE {path!r} is not a secret it mounts")
            continue
        owners.setdefault(source, []).append(app)
        for other in apps:
            if other != app and source in secret_sources(services.get(other) or {}).values():
                fail(where, f"application service {other} mounts {app}'s store keys ({source})")
    files = {}
    for source, users in owners.items():
        if len(users) > 1:
            fail(where, f"application services {', '.join(users)} share the store keys secret {source}")
        entry = declared.get(source) or {}
        if "file" not in entry and "environment" not in entry:
            fail(where, f"secret {source} is not declared with a file")
        files.setdefault(entry.get("file") or entry.get("environment"), []).append(source)
    for file, sources in files.items():
        if len(sources) > 1:
            fail(where, f"secrets {', '.join(sources)} are one file, {file}: each service needs its own store keys")


def published_ports(service):
    """(host port or None, container port) of each `ports` entry."""
    out = []
    for entry in service.get("ports") or []:
        if isinstance(entry, dict):
            published = entry.get("published")
            out.append((None if published in (None, "") else str(published), str(entry.get("target"))))
            continue
        text = str(entry).split("/")[0]           # drop /tcp, /udp
        parts = text.rsplit(":", 2) if not text.startswith("[") else [text]
        if len(parts) == 1:
            out.append((None, parts[0]))          # "8080": Docker picks the host port
        else:
            out.append((parts[-2], parts[-1]))    # "H:C" or "IP:H:C"
    return out


def bind_mounts(service):
    """(source, target, read_only) of each bind mount (sources start with . / or ~)."""
    out = []
    for entry in service.get("volumes") or []:
        if isinstance(entry, str):
            parts = entry.split(":")
            if len(parts) < 2 or not parts[0].startswith((".", "/", "~")):
                continue
            options = parts[2].split(",") if len(parts) > 2 else []
            out.append((parts[0], parts[1], "ro" in options))
        elif isinstance(entry, dict) and entry.get("type") == "bind":
            out.append((str(entry.get("source")), str(entry.get("target")), bool(entry.get("read_only"))))
    return out


def check_gateway(where, services, apps, repo):
    publishing = sorted(name for name, service in services.items() if service.get("ports"))
    if publishing != [GATEWAY]:
        fail(where, f"exactly one service, {GATEWAY}, must publish a host port; publishing: {publishing or 'none'}")
    gateway = services.get(GATEWAY)
    if gateway is None:
        fail(where, f"no {GATEWAY} service")
        return
    ports = published_ports(gateway)
    if len(ports) != 1:
        fail(where, f"{GATEWAY} must publish exactly one port, publishes {gateway.get('ports')}")
    # With deploy/gateway/tls.conf mounted, only its HTTPS port is published.
    tls = [(source, read_only) for source, target, read_only in bind_mounts(gateway) if target == GATEWAY_TLS_TARGET]
    published = TLS_PORT if tls else SERVICE_PORT
    for host, target in ports:
        if target != published:
            fail(where, f"{GATEWAY} publishes container port {target}; nginx listens on {published}"
                        + (" with tls.conf mounted" if tls else ""))
        if not host:
            fail(where, f"{GATEWAY} publishes no host port (write a variable with a default:{published})")
    for source, read_only in tls:
        if os.path.normpath(os.path.join(repo, source)) != os.path.normpath(os.path.join(repo, GATEWAY_TLS)):
            fail(where, f"{GATEWAY} mounts {source} at {GATEWAY_TLS_TARGET}, expected ./{GATEWAY_TLS}")
        if not read_only:
            fail(where, f"{GATEWAY} mounts {source} read-write; add :ro")
        targets = {entry.get("target") if isinstance(entry, dict) else entry for entry in gateway.get("secrets") or []}
        for secret in TLS_SECRETS:
            if secret not in targets:
                fail(where, f"{GATEWAY} mounts tls.conf but no secret with target {secret} (tls.conf reads /run/secrets/{secret})")
    if not str(gateway.get("image", "")).split(":")[0].endswith("nginx"):
        fail(where, f"{GATEWAY} image is {gateway.get('image')!r}, expected nginx")
    expected = os.path.normpath(os.path.join(repo, GATEWAY_CONFIG))
    mounts = [(source, read_only) for source, target, read_only in bind_mounts(gateway)
              if target == GATEWAY_CONFIG_TARGET]
    if not mounts:
        fail(where, f"{GATEWAY} does not mount {GATEWAY_CONFIG} at {GATEWAY_CONFIG_TARGET}")
    for source, read_only in mounts:
        if os.path.normpath(os.path.join(repo, source)) != expected:
            fail(where, f"{GATEWAY} mounts {source} at {GATEWAY_CONFIG_TARGET}, expected ./{GATEWAY_CONFIG}")
        if not read_only:
            fail(where, f"{GATEWAY} mounts {source} read-write; add :ro")
    if not probes(gateway, "/gateway/health"):
        fail(where, f"{GATEWAY} has no healthcheck on /gateway/health")
    deps = depends_on(gateway)
    for app in apps:
        if app not in deps:
            fail(where, f"{GATEWAY} does not depend on {app}")


def nginx_statements(text):
    """The configuration without comments (a # outside quotes starts one)."""
    out, quote = [], None
    for line in text.splitlines():
        kept = []
        for i, c in enumerate(line):
            if quote:
                if c == quote and line[i - 1:i] != "\\":
                    quote = None
            elif c in "'\"":
                quote = c
            elif c == "#":
                break
            kept.append(c)
        out.append("".join(kept))
    return "\n".join(out)


def nginx_block(text, start):
    """The body of the block whose `{` is at or after `start`."""
    open_at = text.index("{", start)
    depth = 0
    for i in range(open_at, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return text[open_at + 1:i]
    return text[open_at + 1:]


def check_gateway_config(repo, apps):
    where = GATEWAY_CONFIG
    try:
        with open(os.path.join(repo, GATEWAY_CONFIG), encoding="utf-8") as handle:
            raw = handle.read()
    except OSError as error:
        fail(where, f"cannot read: {error}")
        return
    text = nginx_statements(raw)
    if len(re.findall(r"^\s*listen 8080;", text, re.M)) != 1:
        fail(where, "needs exactly one `listen 8080;` line (compose_to_local.py rewrites it)")
    if len(re.findall(r"^\s*resolver 127\.0\.0\.11[\s;]", text, re.M)) != 1:
        fail(where, "needs exactly one line starting with `resolver 127.0.0.11` (Docker's DNS)")
    if len(re.findall(r"^\s*include /etc/nginx/homeward-tls\*\.conf;", text, re.M)) != 1:
        fail(where, "needs exactly one `include /etc/nginx/homeward-tls*.conf;` line (where the production override's tls.conf goes)")
    try:
        with open(os.path.join(repo, GATEWAY_TLS), encoding="utf-8") as handle:
            tls = nginx_statements(handle.read())
        if len(re.findall(r"^listen 8443 ssl;", tls, re.M)) != 1:
            fail(GATEWAY_TLS, "needs exactly one `listen 8443 ssl;` line (compose_to_local.py rewrites it)")
        for secret in TLS_SECRETS:
            if f"/run/secrets/{secret};" not in tls:
                fail(GATEWAY_TLS, f"does not read /run/secrets/{secret}")
    except OSError as error:
        fail(GATEWAY_TLS, f"cannot read: {error}")
    if not re.search(r"location\s+=\s*/gateway/health\s*\{", text):
        fail(where, "no `location = /gateway/health` (the gateway's healthcheck)")
    for app in apps:
        target = f"{app}:{SERVICE_PORT}"
        # Also in comments: the renderer's substitution is textual.
        lines = [line for line in raw.splitlines() if re.search(rf"(?<![\w.-]){re.escape(target)}\b", line)]
        set_lines = [line for line in lines if re.match(rf"^\s*set\s+\$\w+\s+{re.escape(target)};\s*$", line)]
        if not set_lines:
            fail(where, f"no `set $upstream_... {target};` line")
        elif len(lines) != 1:
            fail(where, f"{target} must appear only in its one `set` line; found on {len(lines)} lines")
        match = re.search(rf"location\s+/{re.escape(app)}/\s*\{{", text)
        if not match:
            fail(where, f"no `location /{app}/` block")
            continue
        body = nginx_block(text, match.start())
        variable = re.search(rf"set\s+\$(\w+)\s+{re.escape(target)};", body)
        if not variable:
            fail(where, f"location /{app}/ does not set a variable to {target}")
        elif not re.search(rf"proxy_pass\s+http://\${variable.group(1)}\s*;", body):
            fail(where, f"location /{app}/ does not proxy_pass to http://${variable.group(1)}")
        if not re.search(rf"rewrite\s+\^/{re.escape(app)}/\(\.\*\)\$\s+/\$1\s+break;", body):
            fail(where, f"location /{app}/ does not strip its prefix (rewrite ^/{app}/(.*)$ /$1 break;)")


# ---------------------------------------------------------------------------

def load(repo, relative, validator, env=None):
    path = os.path.join(repo, relative)
    try:
        with open(path, encoding="utf-8") as handle:
            raw = yaml.load(handle, Loader=ComposeLoader)
    except OSError as error:
        print(f"validate_compose.py: cannot read {path}: {error}", file=sys.stderr)
        sys.exit(2)
    except yaml.YAMLError as error:
        fail(relative, f"not valid YAML: {error}")
        return None
    if not isinstance(raw, dict):
        fail(relative, "not a mapping at the top level")
        return None
    # Compose interpolates with the caller's environment; the defaults are what CI and a
    # fresh machine get, so validate those.
    raw = interpolate(raw, relative, env=env or {})
    plain = strip_tags(raw)
    errors = sorted(validator.iter_errors(plain), key=lambda e: list(map(str, e.absolute_path)))
    for error in errors:
        location = "/".join(map(str, error.absolute_path)) or "(top level)"
        fail(relative, f"schema: at {location}: {error.message}")
    return raw


def schema_validator_class(schema):
    """The validator for the draft the schema declares. The compose-spec schema writes
    `https://json-schema.org/draft-07/schema` (no `#`), which jsonschema's lookup misses."""
    declared = str(schema.get("$schema", ""))
    for marker, name in (("draft-03", "Draft3Validator"), ("draft-04", "Draft4Validator"),
                         ("draft-06", "Draft6Validator"), ("draft-07", "Draft7Validator"),
                         ("2019-09", "Draft201909Validator"), ("2020-12", "Draft202012Validator")):
        if marker in declared and hasattr(jsonschema, name):
            return getattr(jsonschema, name)
    return validator_for(schema, default=jsonschema.Draft7Validator)


def main(argv):
    if len(argv) != 3:
        print("usage: validate_compose.py REPO COMPOSE_SPEC_JSON", file=sys.stderr)
        return 2
    if jsonschema is None:
        print("validate_compose.py: the Python package 'jsonschema' is not importable; run: pip install jsonschema",
              file=sys.stderr)
        return 2
    repo, schema_path = argv[1], argv[2]
    try:
        with open(schema_path, encoding="utf-8") as handle:
            schema = json.load(handle)
    except (OSError, ValueError) as error:
        print(f"validate_compose.py: cannot read schema {schema_path}: {error}", file=sys.stderr)
        return 2
    cls = schema_validator_class(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    apps = service_names(repo)

    base = load(repo, BASE_FILE, validator)
    prod = load(repo, PROD_FILE, validator)
    host = load(repo, HOST_FILE, validator, env=HOST_ENV)
    if base is not None:
        check_single_file(BASE_FILE, strip_tags(base), apps)
        check_stack(BASE_FILE, strip_tags(base), apps, repo)
    if prod is not None:
        check_single_file(PROD_FILE, strip_tags(prod), apps)
    if base is not None and prod is not None:
        merged = merge(base, prod)
        check_stack(f"{BASE_FILE} + {PROD_FILE}", strip_tags(merged), apps, repo)
    if host is not None:
        check_single_file(HOST_FILE, strip_tags(host), apps)
    if base is not None and host is not None:
        # The base file as the host's operator interpolates it, with their variables.
        base_on_host = load(repo, BASE_FILE, validator, env=HOST_ENV)
        check_stack(f"{BASE_FILE} + {HOST_FILE}", strip_tags(merge(base_on_host, host)), apps, repo, external_kafka=True)
    check_gateway_config(repo, apps)

    for line in failures:
        print(line)
    checked = f"{BASE_FILE}, {PROD_FILE}, {HOST_FILE}, the base with each, schema {os.path.basename(schema_path)} ({cls.__name__})"
    if failures:
        print(f"validate_compose: {len(failures)} failure(s) in {checked}")
        return 1
    print(f"validate_compose: ok: {checked}; {len(apps)} application services")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
