"""User-visible sentences in French, Dutch and English (one TOML file per domain and language)."""
