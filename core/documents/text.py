"""Plain-text importer: recognise the encoding, refuse binaries, make canonical text."""

import codecs
import re
import unicodedata
from typing import NamedTuple

from charset_normalizer import CharsetMatch, from_bytes

from core.domain.document import DocumentText, PageSpan
from core.errors import DocumentImportError

EXTRACTOR = "text"
EXTRACTOR_VERSION = "1"
MEDIA_TYPE = "text/plain"

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # UTF-32 first: its little-endian mark begins with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (for example a Word .docx or Excel .xlsx file)"),
    (b"PK\x05\x06", "a ZIP archive"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an older Microsoft Office file (.doc, .xls or .ppt)"),
    (b"{\\rtf", "a Rich Text (RTF) document"),
    (b"\x7fELF", "a program file"),
    (b"\x1f\x8b", "a compressed (gzip) file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xfd7zXZ\x00", "a compressed (xz) file"),
    (b"SQLite format 3\x00", "an SQLite database"),
)

# Single-byte and East Asian encodings worth considering, most likely first; the order
# breaks ties between encodings that read the bytes equally well.
_CANDIDATES = (
    "cp1252",
    "iso8859_15",
    "latin_1",
    "cp1250",
    "iso8859_2",
    "cp1257",
    "cp1254",
    "mac_roman",
    "cp1251",
    "koi8_r",
    "cp1253",
    "gb18030",
    "big5",
    "shift_jis",
    "euc_jp",
    "euc_kr",
)
_LATIN1_LABELS = {"ascii", "us-ascii", "latin1", "latin-1", "l1", "iso-8859-1", "iso8859-1"}
_LATIN1_LABELS |= {"iso_8859-1", "windows-1252", "cp1252", "cp819", "iso-ir-100"}

_LINE_BREAKS = re.compile("\r\n|[\r\v\f\x85\u2028\u2029]")
# C0 and C1 controls other than tab and the line breaks handled above.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_MAX_CONTROL_SHARE = 0.05


class DecodedText(NamedTuple):
    """Characters read from bytes, with the encoding that reads them back exactly."""

    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def display_name(filename: str) -> str:
    """The last part of a path, as a reviewer recognises the file."""
    return re.split(r"[\\/]", filename)[-1] or filename


def _refuse_binary(data: bytes, filename: str) -> None:
    """Raise if the bytes are empty or start like a known non-text format."""
    name = display_name(filename)
    if not data:
        raise DocumentImportError(f"“{name}” is empty: there is no text to import.")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise DocumentImportError(
                f"“{name}” is not a text document: it looks like {what}. "
                "Import the report as a PDF, a web page (HTML) or a plain text file."
            )


def decode_text_bytes(data: bytes, filename: str, declared: str | None = None) -> DecodedText:
    """Read bytes as text: byte order mark, declared charset, UTF-8, then best guess.

    Raises DocumentImportError for empty, binary or unreadable content.
    """
    _refuse_binary(data, filename)
    decoded = _decode(data, filename, declared)
    _refuse_control_heavy(decoded.text, filename)
    return decoded


def canonical_text(raw: str) -> tuple[str, tuple[str, ...]]:
    """NFC text with `\\n` line ends, no leading BOM and no stray control characters."""
    text, removed = _CONTROLS.subn("", _LINE_BREAKS.sub("\n", raw))
    text = text.lstrip("\ufeff")
    text = unicodedata.normalize("NFC", text)
    warnings: tuple[str, ...] = ()
    if removed:
        noun = "character" if removed == 1 else "characters"
        warnings = (f"Removed {removed} invisible control {noun} that cannot be displayed.",)
    return text, warnings


def _refuse_blank(text: str, filename: str) -> None:
    """Raise if the canonical text has nothing but blank space."""
    if not text.strip():
        raise DocumentImportError(f"“{display_name(filename)}” contains no text, only blank space.")


def import_text(data: bytes, filename: str, charset: str | None = None) -> DocumentText:
    """Import a plain text file; `charset` is an encoding the file is said to use."""
    decoded = decode_text_bytes(data, filename, charset)
    text, warnings = canonical_text(decoded.text)
    _refuse_blank(text, filename)
    return DocumentText(
        text=text,
        media_type=MEDIA_TYPE,
        extractor=EXTRACTOR,
        extractor_version=EXTRACTOR_VERSION,
        encoding=decoded.encoding,
        pages=(PageSpan(start=0, end=len(text)),),
        warnings=decoded.warnings + warnings,
    )


def _decode(data: bytes, filename: str, declared: str | None) -> DecodedText:
    name = display_name(filename)
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                return DecodedText(data[len(bom) :].decode(codec), label)
            except UnicodeDecodeError:
                encoding = codec.removesuffix("-le").removesuffix("-be").upper()
                raise DocumentImportError(
                    f"“{name}” says it is {encoding} text but contains bytes that are not "
                    "valid in that encoding; the file may be damaged."
                ) from None
    warnings: tuple[str, ...] = ()
    if declared:
        found = _decode_declared(data, declared)
        if found is not None:
            return found
        warnings = (
            f"The file declares the character encoding “{declared}”, which does not fit "
            "its content; the encoding was recognised from the content instead.",
        )
    if b"\x00" in data:
        found = _decode_wide(data)
        if found is None or _mostly_unassigned(found.text):
            raise _binary_error(name)
        return found._replace(warnings=warnings)
    found = _try_decode(data, "utf-8")
    if found is None:
        guessed = _guess_encoding(data)
        found = _try_decode(data, guessed) if guessed else None
    if found is None:
        raise DocumentImportError(
            f"“{name}” could not be read as text: its character encoding was not "
            "recognised, or it is not a text file. Save it as UTF-8 text and import it again."
        )
    return found._replace(warnings=warnings)


def _decode_declared(data: bytes, declared: str) -> DecodedText | None:
    codec = _codec_name(declared)
    if codec != "utf-8" and not data.isascii() and b"\x00" not in data:
        # Non-ASCII bytes that form valid UTF-8 are almost never anything else, whatever
        # a mislabelled file claims.
        found = _try_decode(data, "utf-8")
        if found is not None:
            return found._replace(
                warnings=(
                    f"The file declares the character encoding “{declared}”, but its "
                    "content is UTF-8 and was read as UTF-8.",
                )
            )
    # Like browsers, read Latin-1 and ASCII labels as their superset Windows-1252.
    if declared.strip().lower() in _LATIN1_LABELS:
        return _try_decode(data, "cp1252") or _try_decode(data, "iso8859-1")
    return _try_decode(data, codec) if codec else None


def _codec_name(label: str) -> str | None:
    try:
        return codecs.lookup(label.strip()).name
    except LookupError:
        return None


def _decode_wide(data: bytes) -> DecodedText | None:
    """UTF-16 or UTF-32 without a byte order mark, recognised by where the zeros are."""
    size = len(data)
    if size % 4 == 0:
        if all(b == 0 for b in data[3::4]) and max(data[2::4]) <= 0x10:
            return _try_decode(data, "utf-32-le")
        if all(b == 0 for b in data[0::4]) and max(data[1::4]) <= 0x10:
            return _try_decode(data, "utf-32-be")
    if size % 2 == 0:
        even, odd = data[0::2].count(0), data[1::2].count(0)
        if odd >= size * 0.15 and even <= odd * 0.05:
            return _try_decode(data, "utf-16-le")
        if even >= size * 0.15 and odd <= even * 0.05:
            return _try_decode(data, "utf-16-be")
    return None


def _mostly_unassigned(text: str) -> bool:
    """Binary bytes misread as UTF-16/32 decode to characters Unicode never assigned."""
    sample = text[:20000]
    odd = sum(1 for char in sample if unicodedata.category(char) in ("Cn", "Co", "Cs"))
    return odd > 2 and odd > len(sample) * _MAX_CONTROL_SHARE


def _try_decode(data: bytes, codec: str) -> DecodedText | None:
    try:
        text = data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None
    return None if "\x00" in text else DecodedText(text, codec)


def _guess_encoding(data: bytes) -> str | None:
    matches = from_bytes(data, cp_isolation=list(_CANDIDATES), preemptive_behaviour=False)
    if not matches:
        return None
    rank = {codecs.lookup(name).name: i for i, name in enumerate(_CANDIDATES)}

    def likeliness(match: CharsetMatch) -> tuple[float, float, int]:
        # A match stands for every encoding that reads the bytes the same way.
        names = [codecs.lookup(name).name for name in match.could_be_from_charset]
        order = min((rank.get(name, len(rank)) for name in names), default=len(rank))
        return round(match.chaos, 2), -round(match.coherence, 2), order

    best = min(matches, key=likeliness)
    try:
        text = data.decode(best.encoding)
    except UnicodeDecodeError:
        return None
    # Several encodings often read the same bytes identically; name the likeliest.
    for codec in _CANDIDATES:
        try:
            if data.decode(codec) == text:
                return codecs.lookup(codec).name
        except UnicodeDecodeError:
            continue
    return codecs.lookup(best.encoding).name


def _refuse_control_heavy(text: str, filename: str) -> None:
    controls = len(_CONTROLS.findall(text))
    if "\x00" in text or (controls > 2 and controls > len(text) * _MAX_CONTROL_SHARE):
        raise _binary_error(display_name(filename))


def _binary_error(name: str) -> DocumentImportError:
    return DocumentImportError(
        f"“{name}” is not a text document: it contains binary data. "
        "Import the report as a PDF, a web page (HTML) or a plain text file."
    )
