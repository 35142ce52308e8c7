"""Trial Abstractor desktop interface (PySide6); imports core, never the reverse."""
