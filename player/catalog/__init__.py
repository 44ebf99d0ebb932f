"""The catalog format: model, parsing and checks, signatures, mirrors."""

# Catalogs larger than this are refused unless the user raises the limit.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
