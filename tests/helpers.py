"""Paths and small helpers shared by the tests."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DOCS = ROOT / "sample_docs"
TEST_DATA = Path(__file__).resolve().parent / "data"

CROHN_PHASE2 = SAMPLE_DOCS / "001_dbdeea00f2d7ba41.txt"


def sample_files() -> list[Path]:
    return sorted(SAMPLE_DOCS.glob("*.txt"))
