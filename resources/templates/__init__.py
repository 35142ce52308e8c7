"""Packaged extraction templates (YAML)."""
