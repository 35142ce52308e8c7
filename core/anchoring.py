"""Evidence anchors: creating them and re-finding them after the document text changes."""

import re
import unicodedata
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import NamedTuple

from core.domain.anchor import Anchor, AnchorStatus, Rect

CONTEXT = 32
ACCEPT_SIMILARITY = 0.9
REVIEW_SIMILARITY = 0.75
MIN_REVIEW_QUOTE = 8  # shorter quotes are proposed for review only on their context
MIN_DISTINCT_QUOTE = 16  # shorter quotes move only if their context agrees ...
MIN_CONTEXT_SUPPORT = 0.5  # ... at least this much (1 - edit distance / length)

_MAX_RANKED = 64  # occurrences ranked by context; the rest are pre-filtered cheaply
_MAX_SEED_HITS = 256  # an n-gram found more often than this says nothing about position
_SEED_WINDOWS = 8
_MAX_TIED_ENDS = 8

_IGNORED = re.compile(
    r"(?<=[^\W\d_])[-\u2010\u00ad][^\S\n]*\n\s*"  # "treat-\nment": a broken word
    r"|\s+"
    r"|[\u00ad\u200b\u2060\ufeff]"  # soft hyphen, zero-width space, word joiner, BOM
)
_VARIANTS = {
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2212\ufe63\uff0d", "-"),
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"'),
    **{"\u2026": "...", "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl"},
    **{"\ufb03": "ffi", "\ufb04": "ffl"},
}
_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)*")


class _Hit(NamedTuple):
    start: int
    end: int
    status: AnchorStatus


class _Candidate(NamedTuple):
    distance: int  # edit distance of the context (and, when fuzzy, of the quote)
    offset: int  # distance from the old start, the tie-breaker
    start: int
    end: int


def create_anchor(
    text: str,
    start: int,
    end: int,
    *,
    document_id: int,
    source_sha256: str,
    page_index: int | None = None,
    rects: Iterable[Rect] = (),
) -> Anchor:
    """Anchor the selection `text[start:end]`; raise ValueError if it is empty or outside."""
    if start == end:
        raise ValueError(f"empty selection: start and end are both {start}")
    if not 0 <= start < end <= len(text):
        raise ValueError(
            f"selection [{start}, {end}) is not inside a text of {len(text)} characters"
        )
    return Anchor(
        document_id=document_id,
        source_sha256=source_sha256,
        start=start,
        end=end,
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
        page_index=page_index,
        rects=tuple(rects),
        status=AnchorStatus.EXACT,
    )


def verify_anchor(anchor: Anchor, text: str) -> bool:
    """Whether the anchor's offsets still quote its `exact` in `text`.

    An area of a page without text (empty `exact`, `start == end`) holds while its
    offset is inside the text: it points at the page, not at characters.
    """
    return anchor.end <= len(text) and text[anchor.start : anchor.end] == anchor.exact


def find_quote(text: str, quote: str) -> list[int]:
    """Start offsets of every occurrence of `quote` in `text`, overlapping ones included."""
    starts: list[int] = []
    if quote:
        at = text.find(quote)
        while at != -1:
            starts.append(at)
            at = text.find(quote, at + 1)
    return starts


def reanchor(anchor: Anchor, text: str, sha256: str) -> Anchor:
    """Re-find `anchor` in `text` (whose hash is `sha256`); the first stage that decides wins.

    1. Same hash and the offsets still quote `exact`: returned unchanged (a re-run erases
       no RELOCATED/FUZZY verdict); NEEDS_REVIEW/ORPHANED anchors keep waiting too.
    2. The offsets still quote `exact` and no other occurrence has closer context: EXACT.
    3. Occurrences of `exact` ranked by the edit distance of their prefix/suffix to the
       stored ones: one best is RELOCATED; a tie is NEEDS_REVIEW at the nearest.
    4. As 3 on folded text (formatting ignored, see `_fold`): RELOCATED, since only
       formatting differs. In 2-4 a quote shorter than MIN_DISTINCT_QUOTE moves only with
       MIN_CONTEXT_SUPPORT of its context, else it is NEEDS_REVIEW. Unless the best
       occurrence's context is intact, the occurrences compete with the candidates of 5
       on total edit distance (quote + context): an edit in place beats an equal quote
       nearby ("2023-05-23" -> "2023-05-28" must not move "23" into the year).
    5. Approximate search for prefix + quote + suffix and for the quote alone: FUZZY only
       with quote similarity >= ACCEPT_SIMILARITY, identical numbers, context support and
       no equally good rival; NEEDS_REVIEW if the quote (>= MIN_REVIEW_QUOTE long) or its
       context has REVIEW_SIMILARITY; otherwise ORPHANED.

    EXACT, RELOCATED and FUZZY anchors take the new characters as `exact` (so that
    `verify_anchor` holds afterwards) and fresh context. NEEDS_REVIEW and ORPHANED keep
    the original quote and context, so nothing is lost; their offsets are the
    candidate's, respectively the old ones clamped to the text.
    """
    if sha256 == anchor.source_sha256 and (
        verify_anchor(anchor, text)
        or anchor.status in (AnchorStatus.NEEDS_REVIEW, AnchorStatus.ORPHANED)
    ):
        return anchor
    hit = _locate(anchor, text)
    if hit is None:
        start = min(anchor.start, len(text))
        hit = _Hit(start, max(start, min(anchor.end, len(text))), AnchorStatus.ORPHANED)
    start, end, status = hit
    update = {"source_sha256": sha256, "start": start, "end": end, "status": status}
    if status not in (AnchorStatus.NEEDS_REVIEW, AnchorStatus.ORPHANED):
        update |= {"exact": text[start:end], "suffix": text[end : end + CONTEXT]}
        update["prefix"] = text[max(0, start - CONTEXT) : start]
    return anchor.model_copy(update=update)


def _locate(anchor: Anchor, text: str) -> _Hit | None:
    """Stages 2 to 5; None means orphaned."""
    spans = _occurrences(anchor, text)
    if len(spans) > _MAX_RANKED:  # pre-filter on a few raw characters of context
        head, tail = anchor.prefix[-8:], anchor.suffix[:8]
        spans = sorted(
            spans,
            key=lambda se: (
                -text.endswith(head, 0, se[0]) - text.startswith(tail, se[1]),
                abs(se[0] - anchor.start),
            ),
        )[:_MAX_RANKED]
    quote_distance = dict.fromkeys(spans, 0)
    if spans:
        ranked = _rank(anchor, text, spans)
        if ranked[0].distance == 0:  # quote and context intact: nothing can explain it better
            return _decide(anchor, text, ranked, quote_distance)
    # An imperfect context may mean that the quote was edited in place and that the
    # occurrence is another one nearby: let it compete with the approximate candidates.
    return _search(anchor, text, quote_distance)


def _occurrences(anchor: Anchor, text: str) -> list[tuple[int, int]]:
    """Spans quoting `exact` (stages 2-3), else quoting it modulo formatting (stage 4)."""
    size = len(anchor.exact)
    spans = [(s, s + size) for s in find_quote(text, anchor.exact)]
    if spans:
        return spans
    folded, index = _fold_document(text)
    quote = _fold(anchor.exact)[0]
    return [_to_text(index, s, s + len(quote)) for s in find_quote(folded, quote)]


def _search(anchor: Anchor, text: str, quote_distance: dict[tuple[int, int], int]) -> _Hit | None:
    """Stage 5: approximate candidates, competing with the occurrences already found."""
    folded, index = _fold_document(text)
    quote, prefix, suffix = (_fold(s)[0] for s in (anchor.exact, anchor.prefix, anchor.suffix))
    pattern = prefix + quote + suffix
    old = bisect_left(index, anchor.start) - len(prefix)
    for lo, hi in _windows(folded, pattern, old) if quote and folded else ():
        window = folded[lo:hi]
        spans = _matches(quote, window, len(quote) // 2)
        for s, e in _matches(pattern, window, len(pattern) // 2):
            qs = s + _head(prefix, window[s:e])[1]
            qe = e - _head(suffix[::-1], window[qs:e][::-1])[1]
            if qs < qe:
                spans.append((qs, qe))
        for s, e in spans:
            span = _to_text(index, lo + s, lo + e)
            quote_distance.setdefault(span, _profile(quote, window[s:e], anchored=True)[-1])
    if not quote_distance:
        return None
    return _decide(
        anchor, text, _rank(anchor, text, list(quote_distance), quote_distance), quote_distance
    )


def _decide(
    anchor: Anchor,
    text: str,
    ranked: list[_Candidate],
    quote_distance: dict[tuple[int, int], int],
) -> _Hit | None:
    """The verdict on the best candidate (see `reanchor`)."""
    best = ranked[0]
    start, end = best.start, best.end
    edits = quote_distance[start, end]
    rivals = [  # overlapping variants of one approximate match are not rivals
        c
        for c in ranked[1:]
        if c.distance == best.distance
        and (quote_distance[c.start, c.end] == edits == 0 or c.start >= end or c.end <= start)
    ]
    supported = _supported(anchor, best.distance - edits)
    if edits == 0:  # the quote itself, maybe modulo formatting
        if not supported:
            return _Hit(start, end, AnchorStatus.NEEDS_REVIEW)
        if (start, end) == (anchor.start, anchor.end) and verify_anchor(anchor, text):
            return _Hit(start, end, AnchorStatus.EXACT)
        return _Hit(start, end, AnchorStatus.NEEDS_REVIEW if rivals else AnchorStatus.RELOCATED)
    quote, context = (_fold(s)[0] for s in (anchor.exact, anchor.prefix + anchor.suffix))
    candidate = _fold(text[start:end])[0]
    similarity = 1 - edits / max(len(quote), len(candidate))
    context_similarity = 1 - (best.distance - edits) / len(context) if context else 0.0
    same_numbers = _NUMBER.findall(candidate) == _NUMBER.findall(quote)
    if similarity >= ACCEPT_SIMILARITY and same_numbers and supported and not rivals:
        return _Hit(start, end, AnchorStatus.FUZZY)
    if (similarity >= REVIEW_SIMILARITY and len(quote) >= MIN_REVIEW_QUOTE) or (
        context_similarity >= REVIEW_SIMILARITY
    ):
        return _Hit(start, end, AnchorStatus.NEEDS_REVIEW)
    return None


def _supported(anchor: Anchor, context_distance: int) -> bool:
    """A quote may move on its own only if it is distinctive or its context agrees."""
    quote, context = (len(_fold(s)[0]) for s in (anchor.exact, anchor.prefix + anchor.suffix))
    return (
        quote >= MIN_DISTINCT_QUOTE
        or context == 0
        or context_distance <= (1 - MIN_CONTEXT_SUPPORT) * context
    )


def _rank(
    anchor: Anchor,
    text: str,
    spans: list[tuple[int, int]],
    base: dict[tuple[int, int], int] | None = None,
) -> list[_Candidate]:
    """Candidates best first: smallest context (+ base) edit distance, then nearest."""
    prefix, suffix = _fold(anchor.prefix)[0], _fold(anchor.suffix)[0]
    base = base or {}
    ranked = []
    for s, e in spans:
        before = _fold(text[max(0, s - 3 * CONTEXT) : s])[0]
        after = _fold(text[e : e + 3 * CONTEXT])[0]
        distance = _head(prefix[::-1], before[::-1])[0] + _head(suffix, after)[0]
        ranked.append(_Candidate(distance + base.get((s, e), 0), abs(s - anchor.start), s, e))
    return sorted(ranked)


def _fold(text: str) -> tuple[str, Sequence[int]]:
    """The text modulo formatting, and the source offset of each folded character.

    Whitespace, soft hyphens and zero-width characters are dropped, and so is a hyphen
    that breaks a word at a line end; typographic dashes, quotes and ligatures become
    ASCII and other characters their canonical decomposition (NFD), so NFC equals NFD.
    Case and every other character are kept: those differences are left to stage 5.
    """
    parts: list[str] = []
    index: list[int] = []
    pos = 0
    for gap in _IGNORED.finditer(text):
        _fold_run(text, pos, gap.start(), parts, index)
        pos = gap.end()
    _fold_run(text, pos, len(text), parts, index)
    return "".join(parts), array("q", index)


def _fold_run(text: str, start: int, end: int, parts: list[str], index: list[int]) -> None:
    run = text[start:end]
    if run.isascii():
        parts.append(run)
        index.extend(range(start, end))
        return
    for offset, char in enumerate(run, start):
        folded = char if char.isascii() else _VARIANTS.get(char)
        if folded is None:
            folded = unicodedata.normalize("NFD", char)
        parts.append(folded)
        index.extend([offset] * len(folded))


_fold_document = lru_cache(maxsize=4)(_fold)  # kept while a document's anchors are re-found


def _to_text(index: Sequence[int], start: int, end: int) -> tuple[int, int]:
    """Map a non-empty folded span back to code-point offsets of the original text."""
    return index[start], index[end - 1] + 1


def _profile(pattern: str, text: str, *, anchored: bool) -> list[int]:
    """Edit distance of `pattern` to the best substring of `text` ending at each position.

    Bit-parallel (Myers 1999, in Hyyrö's formulation) over Python integers, so patterns
    of any length cost one pass of a few big-integer operations per character. With
    `anchored`, the substring must start at 0: entry j is the distance to text[: j + 1].
    """
    m = len(pattern)
    masks: dict[str, int] = {}
    for i, char in enumerate(pattern):
        masks[char] = masks.get(char, 0) | 1 << i
    full, top = (1 << m) - 1, 1 << (m - 1)
    pv, mv, score, carry = full, 0, m, int(anchored)
    distances = []
    for char in text:
        eq = masks.get(char, 0)
        xv = eq | mv
        xh = ((((eq & pv) + pv) & full) ^ pv) | eq
        ph = mv | (~(xh | pv) & full)
        mh = pv & xh
        if ph & top:
            score += 1
        elif mh & top:
            score -= 1
        ph = (ph << 1) | carry
        mh <<= 1
        pv = (mh | ~(xv | ph)) & full
        mv = ph & xv
        distances.append(score)
    return distances


def _head(pattern: str, text: str) -> tuple[int, int]:
    """(distance, length) of the prefix of `text` closest to `pattern`."""
    if not pattern:
        return 0, 0
    options = [len(pattern), *_profile(pattern, text, anchored=True)]
    best = min(options)
    length = min(
        (n for n, d in enumerate(options) if d == best), key=lambda n: abs(n - len(pattern))
    )
    return best, length


def _matches(pattern: str, window: str, limit: int) -> list[tuple[int, int]]:
    """Spans of `window` at the smallest edit distance to `pattern`, if within `limit`."""
    distances = _profile(pattern, window, anchored=False) if pattern else []
    if not distances or min(distances) > min(limit, len(pattern) - 1):
        return []
    best = min(distances)
    ends = [j + 1 for j, d in enumerate(distances) if d == best][:_MAX_TIED_ENDS]
    spans = []
    for end in ends:
        lo = max(0, end - len(pattern) - best)
        back = _profile(pattern[::-1], window[lo:end][::-1], anchored=True)
        lengths = [n + 1 for n, d in enumerate(back) if d == best]
        length = min(lengths, key=lambda n: abs(n - len(pattern)))
        spans.append((end - length, end))
    return spans


def _windows(folded: str, pattern: str, old: int) -> list[tuple[int, int]]:
    """Regions of the folded text worth aligning `pattern` against.

    Exact hits of the pattern's n-grams vote for where the pattern would start; the
    best-voted places and the old position each get a window with room for indels.
    """
    n, m = len(folded), len(pattern)
    slack = m // 4 + 8
    if n <= 3 * m + 8 * slack:
        return [(0, n)]
    k = max(3, min(6, m // 4))
    votes: Counter[int] = Counter()
    for j in range(0, m - k + 1, k):
        hits = find_quote(folded, pattern[j : j + k])
        if len(hits) <= _MAX_SEED_HITS:
            votes.update((h - j) // slack for h in hits)
    ranked = votes.most_common(_SEED_WINDOWS)
    floor = max(2, ranked[0][1] // 4) if ranked else 0
    starts = [b * slack for b, count in ranked if count >= floor] + [old]
    return [(max(0, s - slack), min(n, s + m + 2 * slack)) for s in starts]
