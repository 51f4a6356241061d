"""Events: what happened to a resource, kept in an outbox that webhooks are delivered from.

An event is written by `outbox.emit` in the same transaction as the change it reports, so
there is never a change without its event, nor an event of a change that rolled back; a
reader sees it only once that transaction has committed. `catalog` lists every type.
"""
