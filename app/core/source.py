"""Read YAML while remembering where each value came from.

Validation messages must say ``file:line: path: message``; PyYAML's node tree
has the line of every node, so we construct plain Python data from the nodes
and keep a map from the path of each value (a tuple of keys and indexes) to its
1-based line number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from app.core.errors import Problem

PathKey = tuple[str | int, ...]


@dataclass
class SourceDocument:
    """A parsed YAML file: its data and the line of every value in it."""

    file: str
    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)

    def line_of(self, path: PathKey) -> int:
        """The line of the value at ``path``, or of its nearest ancestor."""
        probe = tuple(path)
        while probe:
            if probe in self.lines:
                return self.lines[probe]
            probe = probe[:-1]
        return self.lines.get((), 1)

    def problem(self, path: PathKey, message: str) -> Problem:
        return Problem(self.file, self.line_of(path), format_path(path), message)


def format_path(path: PathKey) -> str:
    """``("pillars", 0, "id")`` becomes ``pillars[0].id``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(top)"


class _Builder:
    """Turns a composed node tree into plain data, recording lines and duplicate keys."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.lines: dict[PathKey, int] = {}
        self.problems: list[Problem] = []
        self._loader = yaml.SafeLoader("")

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, (*path, index)) for index, child in enumerate(node.value)]
        return self._loader.construct_object(node, deep=True)

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(Problem(self.file, line, format_path(path), "keys must be plain values"))
                continue
            key = self._loader.construct_object(key_node)
            child_path = (*path, key if isinstance(key, int) else str(key))
            if key in result:
                self.problems.append(Problem(self.file, line, format_path(child_path), f"duplicate key '{key}'"))
            result[key] = self.build(value_node, child_path)
        return result

    def close(self) -> None:
        self._loader.dispose()


def parse_yaml(text: str, file: str) -> tuple[SourceDocument, list[Problem]]:
    """Parse ``text``; syntax errors come back as problems, never as exceptions."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        return SourceDocument(file, None), [Problem(file, line, "(top)", f"YAML syntax: {error.problem}")]
    if node is None:
        return SourceDocument(file, None), [Problem(file, 1, "(top)", "the file is empty")]
    builder = _Builder(file)
    try:
        data = builder.build(node, ())
    finally:
        builder.close()
    return SourceDocument(file, data, builder.lines), builder.problems


def read_yaml(path: Path) -> tuple[SourceDocument, list[Problem]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return SourceDocument(str(path), None), [Problem(str(path), 1, "(top)", f"cannot read: {error}")]
    return parse_yaml(text, str(path))
