"""CEL rules of a template: compiling them, the names they use, and checking those names.

How a rule addresses the form: every plain field is a variable named by its field id and
every repeating group is a variable named by its group id. An empty field is `null`.
Integers are CEL ints, decimals are doubles in the field's default unit (`null` when the
recorded unit cannot be converted), partial dates are ISO strings ('2019', '2019-03',
'2019-03-14'), choices are codes, multiple choices are lists of codes, booleans are bools
and text is a string. A group is a list of rows, each row a map from every field id of
the group to its value, e.g. `arms.all(a, a.n_randomized == null || a.n_randomized > 0)`
or `size(arms) > 0`. The functions of `cel.stdlib` (sum, substring, math.least, ...)
are available besides the CEL built-ins.
"""

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from core.cel_engine import STDLIB_FUNCTIONS, add_stdlib_to_context, cel
from core.domain.template import GroupSpec, Template

MACROS = frozenset({"all", "exists", "exists_one", "map", "filter"})
KEYWORDS = frozenset(
    {
        "true", "false", "null", "in", "as", "break", "const", "continue", "else", "for",
        "function", "if", "import", "let", "loop", "package", "namespace", "return", "var",
        "void", "while",
    }
)  # fmt: skip
TYPE_NAMES = frozenset(
    {"int", "uint", "double", "string", "bool", "bytes", "list", "map", "null_type", "type"}
)
NAMESPACES = frozenset({"math", "sets", "base64", "strings", "lists"})
NATIVE_FUNCTIONS = frozenset(
    {
        "has", "size", "int", "uint", "double", "string", "bytes", "bool", "timestamp",
        "duration", "dyn", "type", "contains", "startsWith", "endsWith", "matches", "max",
        "min", "getDate", "getDayOfMonth", "getDayOfWeek", "getDayOfYear", "getFullYear",
        "getHours", "getMilliseconds", "getMinutes", "getMonth", "getSeconds",
    }
)  # fmt: skip
KNOWN_FUNCTIONS = NATIVE_FUNCTIONS | MACROS | frozenset(STDLIB_FUNCTIONS)


class RuleExpressionError(ValueError):
    """A rule expression is not valid CEL; the message says where and why, in words."""


class RuleProblem(NamedTuple):
    """One problem of one rule: which rule, which expression (check/when), what."""

    rule_index: int
    rule_id: str
    part: str
    problem: str

    def __str__(self) -> str:
        where = "" if self.part == "check" else f" (in '{self.part}')"
        return f"rule '{self.rule_id}'{where}: {self.problem}"


@lru_cache(maxsize=1024)
def compile_rule_expression(expr: str) -> Any:
    """Compile a CEL expression to a reusable `cel.Program`, or raise RuleExpressionError."""
    try:
        return cel.compile(expr)
    except (ValueError, TypeError, RuntimeError) as exc:
        raise RuleExpressionError(_syntax_message(expr, str(exc))) from None


def referenced_names(expr: str) -> set[str]:
    """The free variables of an expression: field and group ids it reads.

    Macro variables (the `a` of `arms.all(a, ...)`), members after '.', function names,
    keywords and type names are left out.
    """
    program = compile_rule_expression(expr)
    return set(analyse(expr).free & set(program.variables()))


def validate_rules(template: Template) -> list[str]:
    """Every problem of the template's rules, each naming its rule, in words."""
    return [str(p) for p in rule_problems(template)]


def rule_problems(template: Template) -> list[RuleProblem]:
    """Like `validate_rules`, but with the rule's index and part for locating it."""
    plain = {spec.id for _, spec in template.plain_fields()}
    groups = {group.id: group for _, group in template.groups()}
    problems: list[RuleProblem] = []
    for index, rule in enumerate(template.rules):
        parts = [("check", rule.check)] + ([("when", rule.when)] if rule.when is not None else [])
        for part, expr in parts:
            for problem in _expression_problems(expr, plain, groups):
                problems.append(RuleProblem(index, rule.id, part, problem))
    return problems


def _expression_problems(expr: str, plain: set[str], groups: dict[str, GroupSpec]) -> list[str]:
    try:
        names = referenced_names(expr)
    except RuleExpressionError as exc:
        return [str(exc)]
    known = plain | set(groups)
    problems = [_unknown_name(name, known, groups) for name in sorted(names - known)]
    usage = analyse(expr)
    for source, member in sorted(usage.members):
        group = groups.get(source)
        if group is not None and group.field(member) is None:
            hint = _did_you_mean(member, [f.id for f in group.fields])
            problems.append(f"the group '{source}' has no field '{member}'{hint}")
    for function in sorted(usage.functions - KNOWN_FUNCTIONS):
        problems.append(f"unknown function '{function}'")
    return problems


def _unknown_name(name: str, known: set[str], groups: dict[str, GroupSpec]) -> str:
    owner = next((g.id for g in groups.values() if g.field(name) is not None), None)
    if owner is not None:
        return (
            f"unknown field '{name}': it belongs to the repeating group '{owner}', "
            f"reach it through the rows, e.g. {owner}.all(r, r.{name} != null)"
        )
    return f"unknown field '{name}'{_did_you_mean(name, sorted(known))}"


def _did_you_mean(name: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(name, candidates, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


_POSITION = re.compile(r"<input>:(\d+):(\d+): (?:Syntax error: )?([^\n]*)")


def _syntax_message(expr: str, raw: str) -> str:
    match = _POSITION.search(raw)
    shown = f" of '{expr}'" if len(expr) <= 80 and "\n" not in expr else ""
    if match is None:
        first = raw.strip().splitlines()[0] if raw.strip() else "it cannot be parsed"
        return f"syntax error{shown}: {first}"
    line, column, problem = match.groups()
    problem = re.sub(r"\s*expecting \{.*\}\s*$", "", problem).strip()
    if problem.startswith("mismatched input '<EOF>'"):
        problem = "the expression ends too soon"
    elif m := re.match(r"(?:mismatched|extraneous) input (.+)$", problem):
        problem = f"unexpected {m.group(1)}"
    elif m := re.match(r"token recognition error at: (.+)$", problem):
        problem = f"cannot read {m.group(1)} (an unclosed quote or a stray character?)"
    where = f"column {column}" if line == "1" else f"line {line}, column {column}"
    return f"syntax error at {where}{shown}: {problem}"


def rule_context(variables: Mapping[str, Any]) -> Any:
    """A `cel.Context` holding the variables and the extended standard library."""
    context = cel.Context(variables=dict(variables))
    add_stdlib_to_context(context)
    return context


def evaluate_expression(expr: str, variables: Mapping[str, Any]) -> Any:
    """Evaluate a rule expression; raises what `cel` raises for runtime errors."""
    return compile_rule_expression(expr).execute(rule_context(variables))


def blank_variables(template: Template) -> dict[str, Any]:
    """The variables of an empty record: every field null, every group without rows."""
    variables: dict[str, Any] = {spec.id: None for _, spec in template.plain_fields()}
    variables.update({group.id: [] for _, group in template.groups()})
    return variables


_TOKEN = re.compile(
    r"""
      (?P<space>\s+|//[^\n]*)
    | (?P<string>(?:[rR][bB]?|[bB][rR]?)?
        (?:'''[\s\S]*?'''|\"\"\"[\s\S]*?\"\"\"|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"))
    | (?P<number>0[xX][0-9a-fA-F]+[uU]?|(?:\d+\.\d+|\.\d+|\d+)(?:[eE][+-]?\d+)?[uU]?)
    | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<punct>.)
    """,
    re.VERBOSE,
)
_OPERAND_END = frozenset({"ident", "string", "number", ")", "]", "}"})


@dataclass(frozen=True)
class _Scope:
    bound: str | None = None  # the macro variable declared by this bracket
    source: str | None = None  # the free variable whose rows `bound` ranges over
    rows_of: str | None = None  # a filter keeps rows: what the bracket yields


@dataclass(frozen=True)
class Usage:
    """What an expression uses: free variables, functions, and `row.member` reads."""

    free: frozenset[str]
    functions: frozenset[str]
    members: frozenset[tuple[str, str]]  # (group id, field id) read through a row variable


def _tokens(expr: str) -> list[tuple[str, str]]:
    tokens = []
    for match in _TOKEN.finditer(expr):
        kind = match.lastgroup or "punct"
        if kind != "space":
            text = match.group()
            tokens.append((text if kind == "punct" else kind, text))
    return tokens


@lru_cache(maxsize=1024)
def analyse(expr: str) -> Usage:
    """Scan an expression (already known to compile) for the names it uses."""
    tokens = _tokens(expr)
    kind = [k for k, _ in tokens] + ["", "", ""]
    text = [t for _, t in tokens] + ["", "", ""]
    free: set[str] = set()
    functions: set[str] = set()
    members: set[tuple[str, str]] = set()
    scopes: list[_Scope] = []
    free_at: set[int] = set()  # token indexes of free variables
    rows_at: dict[int, str | None] = {}  # token index -> group whose row(s) it stands for
    skip: set[int] = set()

    for i in range(len(tokens)):
        if i in skip:
            continue
        member = i > 1 and kind[i - 1] == "." and kind[i - 2] in _OPERAND_END
        if kind[i] in ("(", "[", "{"):
            scope = _Scope()
            macro = i >= 3 and kind[i - 2] == "." and text[i - 1] in MACROS
            if macro and kind[i - 1] == "ident" and kind[i + 1] == "ident" and kind[i + 2] == ",":
                receiver = i - 3
                rows = rows_at.get(receiver) if kind[receiver] == ")" else None
                source = text[receiver] if receiver in free_at else rows
                rows_of = source if text[i - 1] == "filter" else None
                scope = _Scope(text[i + 1], source, rows_of)
                skip.add(i + 1)
            scopes.append(scope)
        elif kind[i] in (")", "]", "}"):
            rows_at[i] = scopes.pop().rows_of if scopes else None
        elif kind[i] == "ident":
            name = text[i]
            calls = kind[i + 1] == "("
            if member:
                if calls:
                    functions.add(name)
                elif kind[i - 2] == "ident" and (group := rows_at.get(i - 2)) is not None:
                    members.add((group, name))
            elif name in NAMESPACES and kind[i + 1] == "." and kind[i + 3] == "(":
                functions.add(f"{name}.{text[i + 2]}")
                skip.add(i + 2)
            elif calls:
                functions.add(name)
            elif name in KEYWORDS or name in TYPE_NAMES:
                continue
            else:
                binder = next((s for s in reversed(scopes) if s.bound == name), None)
                if binder is None:
                    free.add(name)
                    free_at.add(i)
                else:
                    rows_at[i] = binder.source
    return Usage(frozenset(free), frozenset(functions), frozenset(members))
