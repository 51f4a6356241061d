"""The API contract: what consumers of both surfaces may rely on, and how it may change.

`docs/schema.graphql` and `docs/openapi.json` are the contract, committed. The code must
match them (no drift), and every difference between a snapshot and the code is classified
as safe, dangerous or breaking, so a reviewer reads what a change does to consumers rather
than a diff. A breaking change passes only when it is declared (a dated version or a
deprecation past its sunset) and CHANGELOG.md names it.

Modules, one idea each:
- `change`: a classified difference (`Change`) and its severity.
- `graphql_changes`: GraphQL SDL against SDL, by graphql-core's own comparison.
- `json_schema`: what a JSON Schema allows, however it is written (refs, unions, enums).
- `openapi_schemas`: JSON Schema against JSON Schema, as a request or as a response.
- `openapi_changes`: OpenAPI document against document: operations, parameters, bodies.
- `declared`: the registry of accepted breaking changes and the check against it.
- `snapshots`: the documents, from the code, from a directory, or from a git revision.
- `verdict`: drift and classification together, the one verdict CI acts on.
- `report`: the verdict printed for people (the `shopgraph contract check` command).
"""

from __future__ import annotations

from .change import Change, Severity
from .declared import DECLARATIONS, Declaration, Violation, undeclared_breaking
from .snapshots import Snapshots
from .verdict import Verdict, check

__all__ = [
    "DECLARATIONS",
    "Change",
    "Declaration",
    "Severity",
    "Snapshots",
    "Verdict",
    "Violation",
    "check",
    "undeclared_breaking",
]
