"""Views that show a document's canonical text or pages."""
