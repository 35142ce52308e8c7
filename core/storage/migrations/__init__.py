"""Alembic migrations of the project database, shipped inside the package."""
