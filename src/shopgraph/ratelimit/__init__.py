"""Token buckets per principal, in process memory or in Redis (shared by every process)."""

from .buckets import Decision, Policy, RateLimiter
from .memory import MemoryBuckets
from .redis_buckets import RedisBuckets

__all__ = ["Decision", "MemoryBuckets", "Policy", "RateLimiter", "RedisBuckets"]
