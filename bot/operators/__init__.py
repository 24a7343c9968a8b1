"""The operators' side: the web review console, its authentication and audit, exports, and the CLI."""
