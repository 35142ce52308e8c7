"""ClinicalTrials.gov records (API v2 JSON) -> readable text whose value spans keep pointers.

Retired formats are recognised: legacy XML (`<clinical_study>`) is read as plain text
without spans, the classic JSON format is refused with a word on what to download.
"""

import json
import re
from typing import Any

from core.documents.ctgov_legacy import classic_refusal, is_classic, read_legacy_xml
from core.documents.ctgov_record import Node, RecordWriter, display
from core.documents.ctgov_results import write_results
from core.documents.ctgov_sections import write_protocol
from core.documents.ctgov_suggest import suggestions_for
from core.documents.text import display_name
from core.domain.document import DocumentText, PageSpan, SourceSpan, Suggestion
from core.errors import DocumentImportError

EXTRACTOR = "ctgov"
EXTRACTOR_VERSION = "1"
JSON_MEDIA_TYPE = "application/json"
XML_MEDIA_TYPE = "application/xml"

_SNIFF_CHARS = 65536
_JSON_KEYS = ('"protocolSection"', '"FullStudiesResponse"', '"ProtocolSection"')
_NCT = re.compile(r"NCT\d{8}", re.IGNORECASE)
_TITLE = re.compile(rb"<title[^>]*>([^<]{0,200})</title>", re.IGNORECASE)
_ERROR_WORDS = re.compile(rb"invalid|error|not found|no study|page not", re.IGNORECASE)
_MAIN_MODULES = {
    "statusModule": "status",
    "designModule": "design",
    "armsInterventionsModule": "arms and interventions",
    "eligibilityModule": "eligibility",
}


def is_ctgov_record(data: bytes) -> bool:
    """Whether bytes look like a ClinicalTrials.gov record (v2 or classic JSON, legacy XML)."""
    head = data[:_SNIFF_CHARS].decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
    if head.startswith(("{", "[")):
        return any(key in head for key in _JSON_KEYS)
    return head.startswith(("<?xml", "<clinical_study")) and "<clinical_study" in head[:4096]


def error_page_title(data: bytes) -> str | None:
    """The title of a ClinicalTrials.gov website error page saved in place of a record."""
    head = data[:16384]
    title = _TITLE.search(head)
    if title is None or b"clinicaltrials.gov" not in head.lower():
        return None
    if not _ERROR_WORDS.search(title.group(1)):
        return None
    return " ".join(title.group(1).decode("utf-8", errors="replace").split())


def refuse_error_page(title: str, filename: str) -> DocumentImportError:
    return DocumentImportError(
        f"“{display_name(filename)}” is not a ClinicalTrials.gov record: it is an error page "
        f"of the ClinicalTrials.gov website (“{title}”) saved in place of the record. "
        "Download the record again as JSON from clinicaltrials.gov."
    )


def import_ctgov(data: bytes, filename: str) -> DocumentText:
    """Import a registry record; raises DocumentImportError saying what the file is."""
    name = display_name(filename)
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        text, nct_id, title = read_legacy_xml(data, filename)
        notes = (
            "This record is in the retired ClinicalTrials.gov XML format: it is shown as text "
            "and no registry values are suggested. Download it as JSON from clinicaltrials.gov "
            "for suggestions.",
            *_name_mismatch(filename, nct_id),
        )
        return _document(text, XML_MEDIA_TYPE, title, notes, ())
    study = _study(load_record(data, filename), filename)
    text, spans = render_record(study)
    protocol = study["protocolSection"]
    nct_id = str(protocol["identificationModule"]["nctId"].value or "")
    missing = [words for key, words in _MAIN_MODULES.items() if not protocol[key].present]
    warnings = list(_name_mismatch(filename, nct_id))
    if missing:
        warnings.append(
            f"“{name}” is a partial record: it has no {', '.join(missing)} information. "
            "Download the full record from clinicaltrials.gov if you need it."
        )
    title = display(protocol["identificationModule"]["briefTitle"].value)
    return _document(text, JSON_MEDIA_TYPE, title, tuple(warnings), spans)


def load_record(data: bytes, filename: str) -> Any:
    """Parse a record's JSON, refusing unreadable or cut-short files with a clear word."""
    name = display_name(filename)
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        problem = "it is not UTF-8 text"
    except json.JSONDecodeError as exc:
        problem = f"the JSON is invalid at line {exc.lineno}, column {exc.colno}"
    except RecursionError:
        problem = "the JSON is nested too deeply"
    raise DocumentImportError(
        f"“{name}” looks like a ClinicalTrials.gov record but cannot be read: {problem}. "
        "It may be cut short; download the record again from clinicaltrials.gov."
    )


def render_record(study: Node) -> tuple[str, tuple[SourceSpan, ...]]:
    """The readable text of a v2 study record and the spans of the values in it."""
    writer = RecordWriter()
    ident = study["protocolSection"]["identificationModule"]
    writer.write("ClinicalTrials.gov record ")
    writer.value(ident["nctId"])
    writer.write("\n")
    write_protocol(writer, study["protocolSection"])
    write_results(writer, study["resultsSection"])
    return writer.result()


def registry_suggestions(record: bytes | str | dict[str, Any]) -> list[Suggestion]:
    """Values of a v2 record offered for the default form, each with its evidence span.

    `record` is the document's original bytes (or parsed JSON). The spans refer to
    the canonical text `import_ctgov` made from the same record.
    """
    if isinstance(record, bytes | str):
        raw = record.encode("utf-8") if isinstance(record, str) else record
        parsed = load_record(raw, "record")
    else:
        parsed = record
    study = _study(parsed, "record")
    text, spans = render_record(study)
    return suggestions_for(study, text, spans)


def _study(record: Any, filename: str) -> Node:
    """The study in a v2 record, or in a v2 search response holding exactly one study."""
    name = display_name(filename)
    if is_classic(record):
        raise classic_refusal(filename)
    root = Node(record)
    if isinstance(record, dict) and isinstance(record.get("studies"), list):
        count = len(record["studies"])
        if count != 1:
            raise DocumentImportError(
                f"“{name}” holds {count} ClinicalTrials.gov records; import one record at a time."
            )
        root = root["studies"][0]
    protocol = root["protocolSection"]
    if not protocol["identificationModule"]["nctId"].present:
        raise DocumentImportError(
            f"“{name}” is not a complete ClinicalTrials.gov record: it has no study "
            "identification (NCT number). Download the record again as JSON from "
            "clinicaltrials.gov."
        )
    return root


def _name_mismatch(filename: str, nct_id: str) -> tuple[str, ...]:
    named = _NCT.search(display_name(filename))
    if named is None or not nct_id or named.group().upper() == nct_id.upper():
        return ()
    return (
        f"The file name says {named.group().upper()}, but the record inside is {nct_id}; "
        "the record's own number is used.",
    )


def _document(
    text: str,
    media_type: str,
    title: str | None,
    warnings: tuple[str, ...],
    spans: tuple[SourceSpan, ...],
) -> DocumentText:
    return DocumentText(
        text=text,
        media_type=media_type,
        extractor=EXTRACTOR,
        extractor_version=EXTRACTOR_VERSION,
        encoding="utf-8",
        pages=(PageSpan(start=0, end=len(text)),),
        title=title,
        warnings=warnings,
        spans=spans,
    )
