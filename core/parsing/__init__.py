"""Parsing field values out of quoted passages, and showing stored values as text."""

from core.parsing.field_values import format_value, parse_value

__all__ = ["format_value", "parse_value"]
