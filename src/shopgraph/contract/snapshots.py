"""The two documents of the contract: as the code makes them, and as committed.

Kept as text, not parsed: drift is any difference in bytes (a changed description is
drift too), while the comparison in `check` reads what the bytes mean. The text is made
exactly as tests/test_snapshots.py writes it, so the two agree on what "matches" means.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

SCHEMA_FILE = "schema.graphql"
OPENAPI_FILE = "openapi.json"


class SnapshotUnavailable(Exception):
    """A snapshot could not be read: a missing file, or a git revision that lacks it."""


@dataclass(frozen=True)
class Snapshots:
    """The GraphQL schema (SDL) and the OpenAPI document (JSON), as text."""

    schema: str
    openapi: str

    @classmethod
    def from_code(cls) -> Snapshots:
        # Imported here: building both surfaces is the slow part, wanted only for this.
        from ..rest_facade import openapi_document
        from ..schema import build_schema
        from ..settings import Settings

        return cls(
            schema=str(build_schema(Settings())) + "\n",
            openapi=json.dumps(openapi_document(), indent=2, sort_keys=True) + "\n",
        )

    @classmethod
    def from_dir(cls, directory: Path) -> Snapshots:
        try:
            return cls(
                schema=(directory / SCHEMA_FILE).read_text(),
                openapi=(directory / OPENAPI_FILE).read_text(),
            )
        except FileNotFoundError as missing:
            raise SnapshotUnavailable(
                f"{missing.filename} is missing; write it with "
                "SHOPGRAPH_UPDATE_SNAPSHOTS=1 ./dev test tests/test_snapshots.py"
            ) from None

    @classmethod
    def from_git(cls, revision: str, directory: Path) -> Snapshots:
        """The snapshots in `directory` as they were at a git revision (`main`, `HEAD~1`)."""
        return cls(
            schema=_git_show(revision, directory / SCHEMA_FILE),
            openapi=_git_show(revision, directory / OPENAPI_FILE),
        )


def _git_show(revision: str, path: Path) -> str:
    # `REV:./path` is relative to the working directory git runs in, here the file's own.
    try:
        shown = subprocess.run(
            ["git", "show", f"{revision}:./{path.name}"],
            cwd=path.resolve().parent,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as error:  # no git at all
        raise SnapshotUnavailable(f"cannot run git: {error}") from None
    if shown.returncode != 0:
        raise SnapshotUnavailable(f"git has no {path.name} at {revision}: {shown.stderr.strip()}")
    return shown.stdout


def revisions_changing(directory: Path, since: str) -> list[str]:
    """The commits after `since` up to HEAD, oldest first, that changed the snapshots in
    `directory`."""
    try:
        logged = subprocess.run(
            [
                "git",
                "log",
                "--reverse",
                "--format=%H",
                f"{since}..HEAD",
                "--",
                SCHEMA_FILE,
                OPENAPI_FILE,
            ],
            cwd=directory.resolve(),
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as error:
        raise SnapshotUnavailable(f"cannot run git: {error}") from None
    if logged.returncode != 0:
        raise SnapshotUnavailable(f"git cannot list history since {since}: {logged.stderr.strip()}")
    return logged.stdout.split()
