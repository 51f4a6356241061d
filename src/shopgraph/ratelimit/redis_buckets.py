"""Buckets in Redis: one atomic server-side script per take, shared by every process.

The script reads the bucket, refills it by the time elapsed on the Redis server's own
clock (so machines with skewed clocks agree), takes the cost if it can, and writes it
back with an expiry of twice the refill window, all in one step. When Redis cannot be
reached the limiter keeps serving (fail-open, the default) or refuses (fail-closed); it
counts every such fallback, logs once when an outage starts and once when it ends, and
never waits longer than its short timeouts.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, cast

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from ..errors import ServiceUnavailable
from ..metrics import RATE_LIMIT_FALLBACKS
from .buckets import Decision, Policy

log = structlog.get_logger("shopgraph.ratelimit")

TAKE = """
local key = KEYS[1]
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local ttl = tonumber(ARGV[4])
local now = redis.call('TIME')
local t = tonumber(now[1]) + tonumber(now[2]) / 1000000
local state = redis.call('HMGET', key, 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or t
tokens = math.min(capacity, tokens + math.max(0, t - at) * rate)
local allowed = 0
if tokens >= cost then
  tokens = math.min(capacity, tokens - cost)  -- a negative cost gives tokens back
  allowed = 1
end
redis.call('HSET', key, 'tokens', tostring(tokens), 'at', tostring(t))
redis.call('EXPIRE', key, ttl)
return {allowed, tostring(tokens)}
"""


class RedisBuckets:
    def __init__(self, url: str, *, prefix: str = "shopgraph:rl:", fail_open: bool = True) -> None:
        self._redis = Redis.from_url(
            url, socket_timeout=0.25, socket_connect_timeout=0.25, health_check_interval=5
        )
        self._script = self._redis.register_script(TAKE)
        self.prefix = prefix
        self.fail_open = fail_open
        self.fallbacks = 0  # takes answered without Redis
        self.down = False  # in an outage: logged when it starts and when it ends

    def _fell_back(self, error: Exception) -> None:
        self.fallbacks += 1
        RATE_LIMIT_FALLBACKS.labels("fail-open" if self.fail_open else "fail-closed").inc()
        if not self.down:
            self.down = True
            log.warning("ratelimit.redis_unavailable", fail_open=self.fail_open, error=str(error))

    def _answered(self) -> None:
        if self.down:
            self.down = False
            log.warning("ratelimit.redis_back", fallbacks=self.fallbacks)

    async def take(self, key: str, cost: float, policy: Policy) -> Decision:
        try:
            allowed, tokens = await self._script(
                keys=[self.prefix + key],
                args=[policy.capacity, policy.refill_per_second, cost, 2 * policy.window],
            )
        except (RedisError, OSError) as error:
            self._fell_back(error)
            if not self.fail_open:
                raise ServiceUnavailable("Rate limiting is unavailable; retry shortly.") from None
            return Decision(True, float(policy.capacity), policy, 0.0)
        self._answered()
        remaining = float(tokens)
        if allowed:
            return Decision(True, remaining, policy, 0.0)
        return Decision(False, remaining, policy, (cost - remaining) / policy.refill_per_second)

    async def ping(self) -> None:
        """Raise if Redis does not answer."""
        await cast(Awaitable[Any], self._redis.ping())  # typed as bool | Awaitable[bool]

    async def close(self) -> None:
        await self._redis.aclose()
