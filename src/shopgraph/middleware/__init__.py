"""Pure ASGI middleware: cross-cutting concerns stay out of routes and resolvers."""
