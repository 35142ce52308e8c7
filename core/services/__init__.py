"""Use cases: the only way the GUI and the CLI change or read a project."""
