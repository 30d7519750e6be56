"""Applications that must not start."""
not_callable = 42
