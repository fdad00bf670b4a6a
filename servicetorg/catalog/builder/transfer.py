"""Export a service definition to a JSON or YAML file, and import one, checked with precise errors.

Importing reads untrusted text: it is limited in size, loaded with PyYAML's safe loader, and
anchors and aliases are refused outright, so a small file cannot expand into a huge document.
Dates stay strings, as the schema wants them.
"""

import json
from typing import Any

import yaml
from django.utils.translation import gettext as _

from servicetorg.catalog.definitions import definition_problems

# Short texts and conditions are written on one line, like the starter files.
FLOW_WIDTH = 90
TEXT_KEYS = {"nb", "nn", "en"}


class ImportProblems(ValueError):
    """A file that cannot be imported; `problems` lists (path, message), path "" for the file."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{path}: {message}" for path, message in problems))
        self.problems = problems


class _Loader(yaml.SafeLoader):
    """The safe loader without timestamps, so `2026-03-01` stays the string the schema wants."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Dumper(yaml.SafeDumper):
    """Writes texts and conditions as the starter files do; never writes anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    # The emitter falls back to a quoted style where a block cannot hold the text exactly.
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_dict(dumper: yaml.SafeDumper, value: dict) -> yaml.Node:
    flow = _short(value) and (set(value) <= TEXT_KEYS or _is_condition(value))
    return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=flow or None)


def _short(value: dict) -> bool:
    return (
        "\n" not in json.dumps(value) and len(json.dumps(value, ensure_ascii=False)) <= FLOW_WIDTH
    )


def _is_condition(value: dict) -> bool:
    return len(value) == 1 and next(iter(value)) in {
        "==",
        "!=",
        ">",
        ">=",
        "<",
        "<=",
        "in",
        "and",
        "or",
        "!",
        "var",
    }


def _represent_list(dumper: yaml.SafeDumper, value: list) -> yaml.Node:
    flow = all(isinstance(v, str | int | float) for v in value) and _short({"": value})
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow or None)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(list, _represent_list)


def export_document(document: dict, fmt: str) -> str:
    """The document as JSON or YAML text, keys in the document's order."""
    if fmt == "json":
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if fmt == "yaml":
        return yaml.dump(
            document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, indent=2
        )
    raise ValueError(f"Unknown export format {fmt!r}")


def import_document(content: str | bytes, *, max_bytes: int = 1_000_000) -> dict:
    """Read a definition from JSON or YAML text; raise ImportProblems naming every problem."""
    raw = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    if len(raw) > max_bytes:
        message = _("The file is too large: %(size)d bytes, at most %(max)d.")
        raise ImportProblems([("", message % {"size": len(raw), "max": max_bytes})])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        message = _("The file is not UTF-8 text (byte %(position)d).")
        raise ImportProblems([("", message % {"position": error.start + 1})]) from None
    document = _parse(text)
    if not isinstance(document, dict):
        message = _(
            "The file does not hold a service definition: expected named values at the top."
        )
        raise ImportProblems([("", message)])
    problems = [_split(problem) for problem in definition_problems(document)]
    if problems:
        raise ImportProblems(problems)
    return document


def _parse(text: str) -> Any:
    try:
        if text.lstrip().startswith(("{", "[")):
            return json.loads(text, parse_constant=_refuse_constant)
        _refuse_aliases(text)
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a subclass of SafeLoader
    except ImportProblems:
        raise
    except json.JSONDecodeError as error:
        raise ImportProblems([("", _at(error.lineno, error.colno, error.msg))]) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise ImportProblems([("", _at(line, column, error.problem or str(error)))]) from None
    except (yaml.YAMLError, RecursionError, ValueError) as error:
        message = _("The file cannot be read: %(error)s") % {"error": error}
        raise ImportProblems([("", message)]) from None


def _refuse_constant(name: str) -> Any:
    raise ValueError(_("%(name)s is not a number a definition can hold.") % {"name": name})


def _refuse_aliases(text: str) -> None:
    """Refuse anchors and aliases before building anything: they can multiply a small file."""
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            mark = event.start_mark
            message = _("Anchors and aliases (& and *) are not allowed; write the values out.")
            raise ImportProblems([("", _at(mark.line + 1, mark.column + 1, message))])


def _at(line: int, column: int, message: str) -> str:
    values = {"line": line, "column": column, "message": message}
    return _("Line %(line)d, column %(column)d: %(message)s") % values


def _split(problem: str) -> tuple[str, str]:
    path, _sep, message = problem.partition(": ")
    return ("" if path == "(top)" else path), message
