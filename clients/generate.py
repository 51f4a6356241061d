#!/usr/bin/env python3
"""Generate shopgraph's typed Python clients from the committed API contract.

- `clients/graphql/shopgraph_graphql`: ariadne-codegen, from `docs/schema.graphql` and the
  operations in `examples/graphql/` and `clients/graphql/operations/` (one typed async
  method per operation, pydantic models for every result).
- `clients/rest/shopgraph_rest`: openapi-python-client, from `docs/openapi.json` (a sync
  and an async function per endpoint, attrs models for every schema).

Run it after the schema, the OpenAPI document or an operation changes, and commit the
result; `tests/test_clients.py` fails while the committed clients are out of date:

    python clients/generate.py             # regenerate both packages in place
    python clients/generate.py --out DIR   # into DIR/graphql/... and DIR/rest/... instead

The generators run in an environment of their own (`.venv/clientgen` unless `--tools`
names another), made on first use from `clients/generators.txt` with pip and remade when
that file changes: they cannot share the server's (ariadne-codegen needs graphql-core
< 3.3, the server 3.3; openapi-python-client needs httpx < 0.29 and typer < 0.28). The
generated code itself needs only httpx, pydantic and attrs.

The output is deterministic: no timestamps and no paths of this machine, the same pinned
ruff formats both packages (after each generator's own formatting), and every module
starts with a header saying where it comes from.

Exit status: 0 done, 1 a generator failed, 3 the generators could not be installed.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = ROOT / "clients"
REQUIREMENTS = CLIENTS / "generators.txt"
DEFAULT_TOOLS = ROOT / ".venv" / "clientgen"

SCHEMA = ROOT / "docs" / "schema.graphql"
OPENAPI = ROOT / "docs" / "openapi.json"
OPERATION_DIRS = (ROOT / "examples" / "graphql", CLIENTS / "graphql" / "operations")

GRAPHQL_PACKAGE = Path("graphql") / "shopgraph_graphql"
REST_PACKAGE = Path("rest") / "shopgraph_rest"
PACKAGES = (GRAPHQL_PACKAGE, REST_PACKAGE)

# One style for both packages, whatever configuration the machine or the repository has.
RUFF_STYLE = ("--isolated", "--target-version", "py311", "--line-length", "100")
HEADERS = {
    GRAPHQL_PACKAGE: (
        "# Generated from docs/schema.graphql and the operations in examples/graphql/ and\n"
        "# clients/graphql/operations/ by `python clients/generate.py`: do not edit.\n"
    ),
    REST_PACKAGE: (
        "# Generated from docs/openapi.json by `python clients/generate.py`: do not edit.\n"
    ),
}
# openapi-python-client: no post hooks (the one formatting pass below serves both packages
# and does not depend on which ruff is on PATH); enums as `Literal[...]` of their values,
# so a value is the string the API sends, and the one enum a document inlines in several
# places (versions, sort directions) is not several Enum classes.
REST_CONFIG = {"post_hooks": [], "literal_enums": True}

# Custom scalars as Python types (ID and the standard scalars need no mapping).
SCALARS = {
    "Date": "datetime.date",
    "DateTime": "datetime.datetime",
    "Long": "int",
    "JSON": "typing.Any",
}

EXIT_FAILED = 1
EXIT_NO_GENERATORS = 3


class GeneratorsUnavailable(Exception):
    """The generators' environment is missing and could not (or may not) be made."""


def _bin_dir(venv: Path) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin")


def _python(venv: Path) -> Path:
    return _bin_dir(venv) / ("python.exe" if os.name == "nt" else "python")


def _fingerprint() -> str:
    """What the generators' environment was made from: the pins and this Python."""
    digest = hashlib.sha256(REQUIREMENTS.read_bytes())
    digest.update(f"{sys.version_info.major}.{sys.version_info.minor}".encode())
    return digest.hexdigest()


def _clean_env() -> dict[str, str]:
    """The environment the generators run in: nothing of the caller's Python leaks in,
    and a fixed hash seed, so no set's iteration order can reach the output."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV"}
    }
    env["PYTHONHASHSEED"] = "0"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def ensure_tools(venv: Path, *, install: bool = True) -> Path:
    """The Python of an environment holding the pinned generators, made if need be."""
    stamp = venv / "shopgraph-clientgen.sha256"
    python = _python(venv)
    wanted = _fingerprint()
    if python.exists() and stamp.exists() and stamp.read_text().strip() == wanted:
        return python
    if not install:
        raise GeneratorsUnavailable(
            f"no up-to-date generators' environment at {venv}; "
            "run `python clients/generate.py` once to make it"
        )
    if venv.exists() and any(venv.iterdir()) and not (venv / "pyvenv.cfg").exists():
        raise GeneratorsUnavailable(f"{venv} is not a virtual environment; not replacing it")
    print(f"==> installing the client generators into {venv}", file=sys.stderr)
    shutil.rmtree(venv, ignore_errors=True)
    steps = (
        [sys.executable, "-m", "venv", str(venv)],
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
            str(REQUIREMENTS),
        ],
    )
    for step in steps:
        done = subprocess.run(step, env=_clean_env(), capture_output=True, text=True)
        if done.returncode != 0:
            shutil.rmtree(venv, ignore_errors=True)
            raise GeneratorsUnavailable(
                f"`{' '.join(step)}` failed:\n{done.stdout}{done.stderr}".rstrip()
            )
    stamp.write_text(wanted + "\n")
    return python


def _run(python: Path, args: Sequence[str], cwd: Path) -> None:
    done = subprocess.run(
        [str(python), *args], cwd=cwd, env=_clean_env(), capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"`{' '.join(args)}` failed:\n{done.stdout}{done.stderr}".rstrip())


def _toml_string(value: str) -> str:
    return json.dumps(value)  # a JSON string of printable text is a TOML basic string


def _ariadne_config() -> str:
    settings = {
        "schema_path": "schema.graphql",
        "queries_path": "operations",
        "target_package_path": "out/graphql",
        "target_package_name": GRAPHQL_PACKAGE.name,
        "client_name": "Client",
        "include_comments": "none",
    }
    lines = ["[tool.ariadne-codegen]"]
    lines += [f"{key} = {_toml_string(value)}" for key, value in settings.items()]
    lines.append("async_client = true")
    for name, python_type in SCALARS.items():
        lines += [
            "",
            f"[tool.ariadne-codegen.scalars.{name}]",
            f"type = {_toml_string(python_type)}",
        ]
    return "\n".join(lines) + "\n"


def _is_assertion(branch: object, declared: Mapping[str, object]) -> bool:
    """Whether an `anyOf`/`oneOf` branch only constrains properties declared beside it."""
    return (
        isinstance(branch, dict)
        and set(branch) <= {"properties", "required"}
        and set(branch.get("properties", {})) | set(branch.get("required", [])) <= set(declared)
    )


def _client_view(document: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI document as the REST generator is given it.

    openapi-python-client reads a schema with `anyOf` or `oneOf` as the union of those
    branches and ignores the `properties` beside them. The document states rules across
    fields that way (StockAdjustment: a receipt's delta is positive, as
    `anyOf: [{properties: {kind: {const: adjustment}}}, {properties: {delta: {minimum:
    1}}}]`), which would make the request body a union of two models holding neither
    `delta` nor `reason`. Such branches assert, they offer no alternative, so the client
    is generated without them; the server still checks the rule (422).
    """
    view = copy.deepcopy(document)
    for schema in view.get("components", {}).get("schemas", {}).values():
        declared = schema.get("properties")
        if not isinstance(declared, dict):
            continue
        for keyword in ("anyOf", "oneOf"):
            branches = schema.get(keyword)
            if branches and all(_is_assertion(branch, declared) for branch in branches):
                del schema[keyword]
    return view


def _stage(work: Path) -> None:
    """Copy the sources into `work` under fixed relative names, so nothing of this
    checkout's location can reach the output."""
    shutil.copyfile(SCHEMA, work / "schema.graphql")
    document = json.loads(OPENAPI.read_text(encoding="utf-8"))
    (work / "openapi.json").write_text(json.dumps(_client_view(document), indent=1))
    for package in PACKAGES:
        (work / "out" / package.parent).mkdir(parents=True, exist_ok=True)
    operations = work / "operations"
    operations.mkdir()
    for folder in OPERATION_DIRS:
        for source in sorted(folder.glob("*.graphql")):
            target = operations / source.name
            if target.exists():
                raise RuntimeError(f"two operation files are named {source.name}")
            shutil.copyfile(source, target)
    (work / "ariadne.toml").write_text(_ariadne_config())
    (work / "openapi-python-client.json").write_text(json.dumps(REST_CONFIG))


def _add_header(package: Path, header: str) -> None:
    for module in sorted(package.rglob("*.py")):
        module.write_text(
            header + module.read_text(encoding="utf-8"), encoding="utf-8", newline="\n"
        )


def generate(out: Path, python: Path) -> list[Path]:
    """Generate both packages into `out` (replacing them there); return their folders."""
    with tempfile.TemporaryDirectory(prefix="shopgraph-clients-") as temporary:
        work = Path(temporary)
        _stage(work)
        _run(python, ["-m", "ariadne_codegen", "--config", "ariadne.toml", "client"], work)
        _run(
            python,
            [
                "-m",
                "openapi_python_client",
                "generate",
                "--path",
                "openapi.json",
                "--config",
                "openapi-python-client.json",
                "--meta",
                "none",
                "--output-path",
                str(Path("out") / REST_PACKAGE),
            ],
            work,
        )
        built = work / "out"
        for package, header in HEADERS.items():
            _add_header(built / package, header)
        packages = [str(Path("out") / package) for package in PACKAGES]
        _run(
            python,
            [
                "-m",
                "ruff",
                "check",
                *RUFF_STYLE,
                "--fix-only",
                "--extend-select",
                "I",
                "--quiet",
                *packages,
            ],
            work,
        )
        _run(python, ["-m", "ruff", "format", *RUFF_STYLE, "--quiet", *packages], work)
        written = []
        for package in PACKAGES:
            target = out / package
            shutil.rmtree(target, ignore_errors=True)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(built / package, target)
            written.append(target)
        return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=CLIENTS,
        help="where graphql/shopgraph_graphql and rest/shopgraph_rest go (default: clients/)",
    )
    parser.add_argument(
        "--tools",
        type=Path,
        default=DEFAULT_TOOLS,
        help="the generators' environment (default: .venv/clientgen)",
    )
    parser.add_argument(
        "--no-install",
        action="store_true",
        help="use the generators' environment as it is; exit 3 if it is missing or stale",
    )
    args = parser.parse_args(argv)
    try:
        python = ensure_tools(args.tools.resolve(), install=not args.no_install)
    except GeneratorsUnavailable as error:
        print(f"generate.py: the client generators are not available: {error}", file=sys.stderr)
        return EXIT_NO_GENERATORS
    try:
        written = generate(args.out.resolve(), python)
    except RuntimeError as error:
        print(f"generate.py: {error}", file=sys.stderr)
        return EXIT_FAILED
    for package in written:
        files = sum(1 for path in package.rglob("*") if path.is_file())
        print(f"wrote {package} ({files} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
