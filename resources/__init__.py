"""Data files shipped with the application: templates, icons, stylesheet."""
