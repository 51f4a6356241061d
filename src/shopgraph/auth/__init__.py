"""Who is calling and what they may do: credentials in, a `Principal` out, scopes checked.

Resolvers call `authorize`; the surfaces never decide access themselves.
"""
