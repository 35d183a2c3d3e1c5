#!/usr/bin/env python3
"""Check a service's OpenAPI document against its routes.

    python3 openapi_check.py REPO_ROOT SERVICE_FOLDER

For example `python3 Tests/openapi_check.py /work/main HealthScreening`.

1. Validates REPO_ROOT/Services/SERVICE_FOLDER/openapi.yaml as OpenAPI 3.1 with
   openapi-spec-validator.
2. Reads every route registered in REPO_ROOT/Services/SERVICE_FOLDER/Controllers/*.swift
   (`router.<method>("<path>"`, with `:name` written `{name}`), adds the runtime's
   `/health/live`, `/health/ready` and `/metrics` (Shared/Runtime/HTTP/HealthController.swift)
   and `/openapi.yaml` (Shared/Runtime/HTTP/DocumentController.swift, served for every
   service that has a document), the audit trail, the documents and the subject export, and checks the document has exactly those path and
   method pairs: none missing, none extra.
3. Checks every operationId is present and unique.

Prints one line per failure and a summary line. Exit status: 0 all good, 1 failures,
2 a needed Python package is not importable or the input is unreadable.
"""

import glob
import os
import re
import sys

try:
    import yaml
    from openapi_spec_validator import OpenAPIV31SpecValidator
except ImportError as error:
    print(f"openapi_check.py: {error} (openapi-spec-validator 0.6 or later, with PyYAML, is needed); "
          "run: python3 -m pip install openapi-spec-validator pyyaml", file=sys.stderr)
    sys.exit(2)

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
# `router.post("/cases", use: ...)`, `router.get("/health/live") { ... }`
ROUTE = re.compile(r'\brouter\s*\.\s*(get|put|post|delete|options|head|patch|trace)\s*\(\s*"([^"]*)"')
# Registered by the shared runtime on every service: path and method -> where.
RUNTIME_ROUTES = {
    ("get", "/health/live"): "Shared/Runtime/HTTP/HealthController.swift",
    ("get", "/health/ready"): "Shared/Runtime/HTTP/HealthController.swift",
    ("get", "/metrics"): "Shared/Runtime/HTTP/HealthController.swift",
    ("get", "/openapi.yaml"): "Shared/Runtime/HTTP/DocumentController.swift",
    ("get", "/audit"): "Shared/Runtime/Staff/AuditController.swift",
    ("get", "/cases/{caseID}/subject-export"): "Shared/Runtime/DataProtection/SubjectExportController.swift",
    # Every service keeps documents of its cases (its kinds in Services/<S>/Documents).
    ("post", "/cases/{caseID}/documents"): "Shared/Runtime/Documents/CaseDocumentsController.swift",
    ("get", "/cases/{caseID}/documents"): "Shared/Runtime/Documents/CaseDocumentsController.swift",
    ("get", "/cases/{caseID}/documents/{documentID}"): "Shared/Runtime/Documents/CaseDocumentsController.swift",
}


def openapi_path(path):
    """`/cases/:caseID` -> `/cases/{caseID}`."""
    return re.sub(r":([A-Za-z_][A-Za-z0-9_]*)", r"{\1}", path)


def implemented_routes(root, service):
    files = sorted(glob.glob(os.path.join(root, "Services", service, "Controllers", "*.swift")))
    routes = {}
    for name in files:
        with open(name, encoding="utf-8") as handle:
            text = handle.read()
        for match in ROUTE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            key = (match.group(1), openapi_path(match.group(2)))
            routes.setdefault(key, f"{os.path.relpath(name, root)}:{line}")
    for key, where in RUNTIME_ROUTES.items():
        routes.setdefault(key, where)
    return files, routes


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    root = os.path.abspath(argv[1])
    service = argv[2].strip("/")
    if not service or "/" in service or not os.path.isdir(os.path.join(root, "Services", service)):
        print(f"openapi_check.py: no service folder Services/{service} in {root}", file=sys.stderr)
        return 2
    document_path = os.path.join(root, "Services", service, "openapi.yaml")
    try:
        with open(document_path, encoding="utf-8") as handle:
            document = yaml.safe_load(handle)
    except (OSError, yaml.YAMLError) as error:
        print(f"openapi_check.py: cannot read {document_path}: {error}", file=sys.stderr)
        return 2

    failures = []

    # 1. A valid OpenAPI 3.1 document.
    if not isinstance(document, dict) or not str(document.get("openapi", "")).startswith("3.1"):
        failures.append(f"{document_path}: 'openapi' is not 3.1.x")
    else:
        try:
            errors = list(OpenAPIV31SpecValidator(document).iter_errors())
        except Exception as error:  # a broken $ref surfaces as an exception, not an error
            errors = [error]
        for error in errors:
            where = "/".join(str(p) for p in getattr(error, "absolute_path", []) or [])
            message = getattr(error, "message", None) or str(error)
            first = message.splitlines()[0] if message else repr(error)
            if len(first) > 300:  # a broken $ref's message quotes the whole document
                first = first[:300] + " …"
            failures.append(f"invalid OpenAPI 3.1 at /{where}: {first}")

    # 2. Exactly the implemented routes.
    files, routes = implemented_routes(root, service)
    if not files:
        failures.append(f"no Swift files in Services/{service}/Controllers")
    documented = set()
    operation_ids = {}
    paths = (document.get("paths") or {}) if isinstance(document, dict) else {}
    for path, item in paths.items():
        for method, operation in (item or {}).items():
            if method not in HTTP_METHODS:
                continue
            documented.add((method, path))
            operation_id = (operation or {}).get("operationId")
            if not operation_id:
                failures.append(f"{method.upper()} {path}: no operationId")
            elif operation_id in operation_ids:
                failures.append(f"{method.upper()} {path}: operationId '{operation_id}' is also used by {operation_ids[operation_id]}")
            else:
                operation_ids[operation_id] = f"{method.upper()} {path}"
    for method, path in sorted(set(routes) - documented, key=lambda r: (r[1], r[0])):
        failures.append(f"missing from the document: {method.upper()} {path} (registered at {routes[(method, path)]})")
    for method, path in sorted(documented - set(routes), key=lambda r: (r[1], r[0])):
        failures.append(f"not implemented: {method.upper()} {path} is documented but no controller registers it")

    for failure in failures:
        print(f"FAIL {failure}")
    matched = len(set(routes) & documented)
    if failures:
        print(f"{len(failures)} failure(s); {matched} of {len(routes)} routes documented, {len(documented)} operations in the document")
        return 1
    print(f"OK: {document_path} is valid OpenAPI 3.1 and documents exactly the {len(routes)} routes "
          f"({len(routes) - len(RUNTIME_ROUTES)} from {len(files)} controller files + {len(RUNTIME_ROUTES)} runtime)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
