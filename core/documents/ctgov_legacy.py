"""Retired ClinicalTrials.gov formats: legacy XML read as text, classic JSON refused."""

import re
import textwrap
import unicodedata
import xml.etree.ElementTree as ElementTree

from core.documents.text import display_name
from core.errors import DocumentImportError

_HEADER_TAGS = {"required_header"}
_SPACES = re.compile(r"[^\S\n]+")


def classic_refusal(filename: str) -> DocumentImportError:
    """The message for a record in the retired "classic" API format."""
    return DocumentImportError(
        f"“{display_name(filename)}” is a record in the retired ClinicalTrials.gov classic "
        "format (FullStudiesResponse), which is not imported; download the record again as "
        "JSON from clinicaltrials.gov."
    )


def is_classic(record: object) -> bool:
    """Whether parsed JSON is a classic-format response or study."""
    if not isinstance(record, dict):
        return False
    study = record.get("Study")
    return "FullStudiesResponse" in record or "FullStudies" in record or isinstance(study, dict)


def read_legacy_xml(data: bytes, filename: str) -> tuple[str, str, str | None]:
    """Readable text, NCT number and brief title of a `<clinical_study>` XML record."""
    name = display_name(filename)
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise DocumentImportError(
            f"“{name}” looks like a ClinicalTrials.gov XML record but cannot be read ({exc}); "
            "it may be cut short. Download the record again as JSON from clinicaltrials.gov."
        ) from None
    if root.tag != "clinical_study":
        raise DocumentImportError(
            f"“{name}” is an XML file but not a ClinicalTrials.gov record (<clinical_study>)."
        )
    nct_id = _text(root.find("id_info/nct_id")) or ""
    lines = [f"ClinicalTrials.gov record {nct_id} (legacy XML format)".replace("  ", " ")]
    after_section = False
    for child in root:
        if child.tag in _HEADER_TAGS or not isinstance(child.tag, str):
            continue
        if len(child):
            lines.extend(["", _label(child.tag)])
            _write_children(child, 0, lines)
        elif _text(child):
            if after_section:
                lines.append("")
            _write_leaf(child, 0, lines)
        after_section = bool(len(child))
    text = "\n".join(lines).strip("\n")
    return text, nct_id, _text(root.find("brief_title"))


def _write_children(element: ElementTree.Element, depth: int, lines: list[str]) -> None:
    for child in element:
        if not isinstance(child.tag, str):
            continue
        if len(child) and child.tag != "textblock":
            lines.append(f"{'  ' * depth}{_label(child.tag)}{_attributes(child)}:")
            _write_children(child, depth + 1, lines)
        else:
            _write_leaf(child, depth, lines)


def _write_leaf(element: ElementTree.Element, depth: int, lines: list[str]) -> None:
    value = _text(element)
    if not value:
        return
    indent = "  " * depth
    label = f"{indent}{_label(element.tag)}{_attributes(element)}"
    if element.tag == "textblock" or "\n" in value:
        body = textwrap.indent(value, indent + "  ")
        lines.append(body if element.tag == "textblock" else f"{label}:\n{body}")
    else:
        lines.append(f"{label}: {value}")


def _text(element: ElementTree.Element | None) -> str | None:
    if element is None:
        return None
    raw = "".join(element.itertext())
    paragraphs = [_SPACES.sub(" ", block).strip() for block in re.split(r"\n\s*\n", raw)]
    lines = [" ".join(block.split("\n")).replace("  ", " ").strip() for block in paragraphs]
    joined = "\n\n".join(line for line in lines if line)
    return unicodedata.normalize("NFC", joined).strip() or None


def _attributes(element: ElementTree.Element) -> str:
    values = [value for value in element.attrib.values() if value.strip()]
    return f" ({', '.join(values)})" if values else ""


def _label(tag: str) -> str:
    words = tag.replace("_", " ").strip()
    return words[:1].upper() + words[1:]
