"""The `info` type every resolver in the schema receives."""

from __future__ import annotations

from strawberry.types import Info as StrawberryInfo

from ..context import RequestContext

Info = StrawberryInfo[RequestContext, None]
