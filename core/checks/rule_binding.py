"""What CEL expressions read, found by looking at their tokens, for evaluating rules cheaply.

Handing a row to CEL costs about a microsecond per map entry, so rows are bound with
only the fields the rules read through them. That is done only when the expressions
leave no doubt (`group.macro(r, ... r.field ...)`, `size(group)`); otherwise every field.
A `when` that only says fields are not null is decided without CEL.
"""

import re
from collections.abc import Mapping

from core.domain import GroupSpec
from core.rules import MACROS

_QUOTED = (
    r"[rRbB]{0,2}(?:'{3}[\s\S]*?'{3}|\"{3}[\s\S]*?\"{3}"
    r"|'(?:\\.|[^'\\\n])*'|\"(?:\\.|[^\"\\\n])*\")"
)
_TOKEN = re.compile(
    rf"(?P<string>{_QUOTED})|(?P<space>\s+|//[^\n]*)|(?P<number>\d[\w.]*)"
    r"|(?P<ident>[A-Za-z_]\w*)|(?P<punct>.)"
)


def _tokens(expr: str) -> list[str]:
    """Identifiers and punctuation; strings and numbers as placeholders."""
    tokens = []
    for match in _TOKEN.finditer(expr):
        kind = match.lastgroup
        if kind == "string":
            tokens.append('""')
        elif kind == "number":
            tokens.append("0")
        elif kind != "space":
            tokens.append(match.group())
    return tokens


def row_fields(expr: str, groups: Mapping[str, GroupSpec]) -> dict[str, set[str] | None]:
    """Per group the expression reads, the row fields it reads; None when it cannot be told.

    Certain only for the plain forms rules take: `group.macro(r, ... r.field ...)` and
    `size(group)`. Any other use of a group or of a row (indexing, a row passed whole,
    chained calls on a macro's result) makes every field of the groups read.
    """
    tokens = _tokens(expr)
    at = tokens.__getitem__

    def token(i: int) -> str:
        return at(i) if 0 <= i < len(tokens) else ""

    used = {t for i, t in enumerate(tokens) if t in groups and token(i - 1) != "."}
    if not used:
        return {}
    everything: dict[str, set[str] | None] = dict.fromkeys(used)
    if "[" in tokens:
        return everything
    sources: dict[str, set[str]] = {}  # row variable -> groups whose rows it ranges over
    bindings: set[int] = set()
    for i, t in enumerate(tokens):
        if t in MACROS and token(i - 1) == "." and token(i + 1) == "(" and token(i + 3) == ",":
            receiver = token(i - 2)
            if receiver in groups and token(i - 3) != ".":
                sources.setdefault(token(i + 2), set()).add(receiver)
                bindings.add(i + 2)
            elif receiver in (")", "]", "}"):
                return everything  # a macro over another macro's result
        if t == ")" and token(i + 1) == "." and token(i + 2) not in MACROS | {"size"}:
            return everything  # e.g. `.first()` handing a row on
    fields: dict[str, set[str] | None] = {group_id: set() for group_id in used}
    for i, t in enumerate(tokens):
        if token(i - 1) == "." or i in bindings:
            continue
        if t in groups:
            macro = token(i + 1) == "." and token(i + 2) in MACROS and token(i + 3) == "("
            sized = (token(i - 2), token(i - 1), token(i + 1)) == ("size", "(", ")") or (
                tokens[i + 1 : i + 5] == [".", "size", "(", ")"]
            )
            if not (macro or sized):
                return everything
        elif t in sources:
            member = token(i + 2)
            if token(i + 1) != "." or not member.isidentifier() or token(i + 3) == "(":
                return everything
            for group_id in sources[t]:
                known = fields.get(group_id)
                if known is not None:
                    known.add(member)
    return fields


def not_null_guards(when: str, plain: set[str]) -> tuple[str, ...]:
    """The fields of a `when` of the form `a != null && b != null`, else ()."""
    tokens = _tokens(when)
    names = tokens[0::6]
    pattern = [t for name in names for t in (name, "!", "=", "null", "&", "&")][:-2]
    if tokens != pattern or not all(name in plain for name in names):
        return ()
    return tuple(names)
