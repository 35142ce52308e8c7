"""Reading, checking and writing extraction templates (YAML or JSON files)."""

import json
from collections.abc import Iterator, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from core.domain.template import Choice, FieldSpec, GroupSpec, Rule, Section, Template
from core.errors import TemplateError
from core.rules import rule_problems

Format = Literal["yaml", "json"]
Loc = tuple[str | int, ...]
DEFAULT_TEMPLATE = "clinical_trial.yaml"
_SUFFIXES: dict[str, Format] = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}
_DUMP_OPTIONS: dict[str, Any] = {"sort_keys": False, "allow_unicode": True, "width": 100}


def load_template(path: Path) -> Template:
    """Read a .yaml/.yml/.json template file; a malformed one raises TemplateError."""
    fmt = _SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise TemplateError(f"{path.name}: a template file must end in .yaml, .yml or .json")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise TemplateError(f"{path}: no such template file") from None
    except OSError as exc:
        raise TemplateError(f"{path}: the file cannot be read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise TemplateError(f"{path.name}, line {line}: not UTF-8 text; save it as UTF-8") from None
    return parse_template(text, path.name, fmt)


def parse_template(text: str, source: str, fmt: Format) -> Template:
    """Parse and check template text; `source` names the file in error messages."""
    if not text.strip():
        raise TemplateError(f"{source}: the file is empty")
    if fmt == "yaml":
        data, root = _read_yaml(text, source)
    elif fmt == "json":
        data, root = _read_json(text, source), None
    else:
        raise TemplateError(f"{source}: unknown template format '{fmt}' (use yaml or json)")
    if data is None:
        raise TemplateError(f"{source}: the file is empty (it holds only comments)")
    if not isinstance(data, dict):
        expected = "a mapping with keys such as id, name and sections"
        raise TemplateError(f"{source}: the top level must be {expected}, not {_kind(data)}")
    places = _Places(source, data, root)
    if problems := places.duplicate_keys() + places.duplicate_ids():
        raise places.error(problems)
    try:
        template = Template.model_validate(data)
    except PydanticValidationError as exc:
        errors = [e for e in exc.errors() if not _follows_from_others(e)]
        raise places.error([(tuple(e["loc"]), _describe(e), None) for e in errors]) from None
    if rules := rule_problems(template):
        raise places.error([(("rules", p.rule_index, p.part), str(p), None) for p in rules])
    return template


@lru_cache(maxsize=1)
def default_template() -> Template:
    """The packaged "Clinical trial characteristics" template."""
    resource = resources.files("resources.templates").joinpath(DEFAULT_TEMPLATE)
    return parse_template(resource.read_text(encoding="utf-8"), DEFAULT_TEMPLATE, "yaml")


def template_to_dict(template: Template, *, compact: bool = False) -> dict[str, Any]:
    """A JSON-compatible dict of the template; `compact` leaves out default values."""
    return template.model_dump(mode="json", exclude_defaults=compact)


def dump_template(template: Template) -> str:
    """The template as YAML text that `parse_template` reads back to an equal Template."""
    return yaml.dump(template_to_dict(template, compact=True), Dumper=_Dumper, **_DUMP_OPTIONS)


def template_json_schema() -> dict[str, Any]:
    """The JSON schema of a template file, for editors and `schema template`."""
    return Template.model_json_schema()


class _Dumper(yaml.SafeDumper):
    """Writes multi-line strings as literal blocks, so long help text stays readable."""

    def represent_str(self, data: str) -> yaml.ScalarNode:
        style = "|" if "\n" in data else None
        return self.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _Dumper.represent_str)


def _read_yaml(text: str, source: str) -> tuple[Any, yaml.Node | None]:
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        return (loader.construct_document(root) if root is not None else None), root
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem, context = exc.problem or "", exc.context or ""
        if problem.startswith("but "):
            problem, context = f"{context}, {problem}", ""
        elif context and exc.context_mark and mark and exc.context_mark.line != mark.line:
            context += f" that starts on line {exc.context_mark.line + 1}"
        text = f"{problem} ({context})" if problem and context else problem or context
        raise TemplateError(f"{source}{where}: {text or 'the YAML cannot be read'}") from None
    except yaml.YAMLError as exc:
        raise TemplateError(f"{source}: {exc}") from None
    finally:
        loader.dispose()


def _read_json(text: str, source: str) -> Any:
    repeated: list[str] = []

    def no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        repeated.extend(k for i, (k, _) in enumerate(pairs) if k in dict(pairs[:i]))
        return dict(pairs)

    try:
        data = json.loads(text, object_pairs_hook=no_repeats)
    except json.JSONDecodeError as exc:
        raise TemplateError(f"{source}, line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    if repeated:
        raise TemplateError(f"{source}: the key '{repeated[0]}' appears twice in one object")
    return data


def _kind(value: Any) -> str:
    return "a list" if isinstance(value, list) else f"the value {value!r:.60}"


Problem = tuple[Loc, str, int | None]  # place, what is wrong, line when known otherwise


class _Places:
    """Turns pydantic-style locations into words and line numbers of the source file."""

    def __init__(self, source: str, data: dict[str, Any], root: yaml.Node | None) -> None:
        self.source, self.data, self.root = source, data, root

    def error(self, problems: Sequence[Problem]) -> TemplateError:
        lines = [self._describe(loc, message, line) for loc, message, line in problems]
        return TemplateError("\n".join(lines))

    def _describe(self, loc: Loc, message: str, line: int | None) -> str:
        line = line or self._line(loc)
        where = f"{self.source}, line {line}" if line else self.source
        place = self.place(loc)
        return f"{where}: {place}: {message}" if place else f"{where}: {message}"

    def place(self, loc: Loc) -> str:
        """E.g. `sections[2] (Design) > fields[3] (phase) > type`; items count from 1."""
        parts: list[str] = [""]
        node: Any = self.data
        for segment in loc:
            if isinstance(segment, int):
                node = node[segment] if isinstance(node, list) and segment < len(node) else None
                name = _item_name(parts[-1], node)
                parts[-1] += f"[{segment + 1}]" + (f" ({name})" if name else "")
            else:
                parts.append(segment)
                node = node.get(segment) if isinstance(node, dict) else None
        return " > ".join(p for p in parts if p)

    def _line(self, loc: Loc) -> int | None:
        node = self.root
        line = node.start_mark.line if node is not None else -1
        for segment in loc:
            if isinstance(node, yaml.MappingNode):
                pair = next((kv for kv in node.value if kv[0].value == segment), None)
                line, node = (pair[0].start_mark.line, pair[1]) if pair else (line, None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(segment, int):
                node = node.value[segment] if 0 <= segment < len(node.value) else None
                line = node.start_mark.line if node is not None else line
        return line + 1 if line >= 0 else None

    def duplicate_keys(self) -> list[Problem]:
        problems: list[Problem] = []

        def walk(node: yaml.Node, loc: Loc) -> None:
            if isinstance(node, yaml.MappingNode):
                seen: set[str] = set()
                for key, value in node.value:
                    if str(key.value) in seen:
                        line = key.start_mark.line + 1
                        problems.append((loc, f"the key '{key.value}' appears twice", line))
                    seen.add(str(key.value))
                    walk(value, (*loc, str(key.value)))
            elif isinstance(node, yaml.SequenceNode):
                for index, item in enumerate(node.value):
                    walk(item, (*loc, index))

        if self.root is not None:
            walk(self.root, ())
        return problems

    def duplicate_ids(self) -> list[Problem]:
        """Ids that must be unique, each reported with the place that used it first."""
        problems: list[Problem] = []
        seen: dict[tuple[str, str], Loc] = {}
        for scope, loc, key, value in _unique_values(self.data):
            if not isinstance(value, str):
                continue
            if (scope, value) in seen:
                first = self.place(seen[scope, value])
                message = f"the {key} '{value}' is already used by {first}"
                problems.append(((*loc, key), message, None))
            seen.setdefault((scope, value), loc)
        return problems


def _unique_values(data: dict[str, Any]) -> Iterator[tuple[str, Loc, str, Any]]:
    """(scope, place, key, value) of every id or code that is unique within its scope."""
    for s, section in _items(data, "sections"):
        yield "sections", ("sections", s), "id", section.get("id")
        for kind in ("fields", "groups"):
            for i, spec in _items(section, kind):
                yield "names", ("sections", s, kind, i), "id", spec.get("id")
                yield from _inner_values(spec, ("sections", s, kind, i))
    for r, rule in _items(data, "rules"):
        yield "rules", ("rules", r), "id", rule.get("id")


def _inner_values(spec: dict[str, Any], loc: Loc) -> Iterator[tuple[str, Loc, str, Any]]:
    for c, choice in _items(spec, "choices"):
        yield repr(loc), (*loc, "choices", c), "code", choice.get("code")
    for f, inner in _items(spec, "fields"):
        yield repr(loc), (*loc, "fields", f), "id", inner.get("id")
        yield from _inner_values(inner, (*loc, "fields", f))


def _items(container: Any, key: str) -> list[tuple[int, dict[str, Any]]]:
    values = container.get(key) if isinstance(container, dict) else None
    listed = values if isinstance(values, list) else []
    return [(i, v) for i, v in enumerate(listed) if isinstance(v, dict)]


def _item_name(list_key: str, item: Any) -> str:
    if not isinstance(item, dict):
        return ""
    keys = ("label", "id") if list_key.startswith("sections") else ("id", "code", "label")
    return next((str(item[k]) for k in keys if isinstance(item.get(k), str)), "")


# The model of an item, by the key of the list that holds it ("" for the top level).
_MODELS: dict[str, type[BaseModel]] = {
    "": Template, "sections": Section, "fields": FieldSpec, "groups": GroupSpec,
    "choices": Choice, "rules": Rule,
}  # fmt: skip
_PLAIN_MESSAGES = {
    "missing": "this key is required but missing",
    "string_too_short": "must not be empty",
    "too_short": "needs at least one entry",
    "string_pattern_mismatch": "is not a valid id: use a-z, 0-9 and _, starting with a letter",
}


def _follows_from_others(error: Any) -> bool:
    """A tuple that only came out short because some of its items were invalid."""
    value, ctx = error.get("input"), error.get("ctx") or {}
    long_enough = isinstance(value, list) and len(value) >= ctx.get("min_length", 0)
    return bool(error["type"] == "too_short" and long_enough)


def _describe(error: Any) -> str:
    """One pydantic error in words a template author understands."""
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    if kind == "extra_forbidden":
        keys = [k for k in error["loc"][:-1] if isinstance(k, str)]
        model = _MODELS.get(keys[-1] if keys else "")
        allowed = f"; allowed here: {', '.join(model.model_fields)}" if model else ""
        return f"unknown key '{error['loc'][-1]}'{allowed}"
    if kind == "enum":
        return f"'{value}' is not one of {str(ctx.get('expected', '')).replace(chr(39), '')}"
    if kind in _PLAIN_MESSAGES:
        shown = f"'{value}' " if kind == "string_pattern_mismatch" else ""
        return shown + _PLAIN_MESSAGES[kind]
    if kind == "string_type" and isinstance(value, bool | int | float):
        return f"expected text, found {value!r}: put it in quotes"
    if kind in ("tuple_type", "list_type"):
        return f"expected a list, found {_kind(value)}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a mapping (key: value), found {_kind(value)}"
    message = str(error["msg"]).removeprefix("Value error, ")
    return message[:1].lower() + message[1:]
