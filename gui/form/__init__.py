"""The form panel, built in code from the template."""
