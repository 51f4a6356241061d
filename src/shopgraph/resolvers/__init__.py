"""The service layer: plain async functions, one module per domain.

Each takes a `RequestContext` and typed arguments, returns records, and raises errors
from `shopgraph.errors`. Nothing here knows about HTTP, Strawberry or Starlette: both
surfaces call these same functions, so a rule written here holds on both.
"""
