"""Registry writes: roster changes (changes.py) and batch imports (see registry/imports)."""
