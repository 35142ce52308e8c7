"""Trial Abstractor core: domain models, documents, storage, services; no Qt."""

__version__ = "0.1.0"
