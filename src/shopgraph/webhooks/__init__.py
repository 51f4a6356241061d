"""Webhooks: endpoints that hear about events, and the dispatcher that delivers to them.

`secrets`: signing secrets (`whsec_…`), kept encrypted, and the Standard Webhooks headers.
`addresses`: which URLs may be called at all (no loopback, private or metadata addresses).
`schedule`: when a failed delivery is tried again, and when it is given up.
`dispatcher`: claims due deliveries (`FOR UPDATE SKIP LOCKED`), posts them, records each try.
"""
