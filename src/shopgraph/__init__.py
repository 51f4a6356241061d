"""shopgraph: an e-commerce API server with a GraphQL API and a REST API over one domain."""

__version__ = "0.1.0"
