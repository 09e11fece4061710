"""Reading Markdown files with YAML front matter, and YAML vocabularies, keeping line numbers.

python-frontmatter's YAML handler finds the front-matter block; PyYAML composes it into
nodes so that every key and list item keeps the line an editor has to look at.
Dates are left as text (no implicit YAML timestamps) so the catalogue can check them
itself and say what is wrong instead of failing inside PyYAML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from .problems import Report

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe YAML without implicit timestamps: `2023-02-30` stays a string we can explain."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}

_FRONT_MATTER = frontmatter.YAMLHandler()


@dataclass
class Located:
    """A parsed YAML mapping with the line of each key and of each list item."""

    data: dict[str, Any]
    key_lines: dict[str, int] = field(default_factory=dict)
    item_lines: dict[str, list[int]] = field(default_factory=dict)
    child: dict[str, "Located"] = field(default_factory=dict)
    line: int = 1
    is_mapping: bool = True

    def line_of(self, key: str, index: int | None = None) -> int:
        if index is not None and key in self.item_lines and index < len(self.item_lines[key]):
            return self.item_lines[key][index]
        return self.key_lines.get(key, self.line)


@dataclass
class MarkdownSource:
    """One Markdown file: its front matter (with lines) and its body."""

    path: str  # as shown to editors, e.g. content/briefs/2023/x.md
    meta: Located
    body: str
    body_line: int
    body_start: int  # where the body starts in the file's text (as `decode_text` gives it)


def _locate(node: yaml.Node, data: Any, first_line: int) -> Located:
    is_mapping = isinstance(node, yaml.MappingNode) and isinstance(data, dict)
    located = Located(data=data if is_mapping else {}, line=node.start_mark.line + first_line, is_mapping=is_mapping)
    if not is_mapping:
        return located
    for key_node, value_node in node.value:
        key = key_node.value
        located.key_lines[key] = key_node.start_mark.line + first_line
        if isinstance(value_node, yaml.SequenceNode):
            located.item_lines[key] = [item.start_mark.line + first_line for item in value_node.value]
        elif isinstance(value_node, yaml.MappingNode) and isinstance(data.get(key), dict):
            located.child[key] = _locate(value_node, data[key], first_line)
    return located


def _duplicate_keys(node: yaml.Node, first_line: int) -> list[tuple[str, int]]:
    if not isinstance(node, yaml.MappingNode):
        return []
    seen: set[str] = set()
    duplicates = []
    for key_node, value_node in node.value:
        if key_node.value in seen:
            duplicates.append((key_node.value, key_node.start_mark.line + first_line))
        seen.add(key_node.value)
        duplicates.extend(_duplicate_keys(value_node, first_line))
    return duplicates


_MAX_DEPTH = 32  # front matter is two or three levels deep
_MAX_SIZE = 10_000_000  # characters the fields would hold with every alias (*name) expanded


# Every level of nesting starts with one of these; text with fewer of them and no alias is fine.
_NESTING = re.compile(r"[-?:](?:[ \t\n]|$)|[\[{]")


def _may_be_oversized(text: str) -> bool:
    return "*" in text or len(_NESTING.findall(text)) >= _MAX_DEPTH


def _oversized(root: yaml.Node) -> tuple[str, yaml.Node] | None:
    """Why a YAML document is no set of fields: nested too deep (our walks recurse), or aliases
    expanding it past any real file (a "billion laughs" bomb), with the node where it shows;
    None if it is fine.

    Walks the node graph without recursion, each node once, sizing each from its children.
    """
    size: dict[int, int] = {}
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, sized_children = stack.pop()
        if depth > _MAX_DEPTH:
            return f"the fields are nested more than {_MAX_DEPTH} levels deep", node
        if isinstance(node, yaml.MappingNode):
            children = [child for pair in node.value for child in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        else:
            size[id(node)] = 1 + len(node.value)
            continue
        if sized_children:
            size[id(node)] = 1 + sum(size.get(id(child), 1) for child in children)
            if size[id(node)] > _MAX_SIZE:
                return "anchors and aliases (&name, *name) expand the fields past any real file", node
        elif id(node) not in size:
            stack.append((node, depth, True))
            stack.extend((child, depth + 1, False) for child in children if id(child) not in size)
    return None


def parse_yaml(text: str, path: str, report: Report, first_line: int = 1) -> Located | None:
    """Parse YAML text whose first line is line `first_line` of `path`; None if unreadable."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        oversized = _oversized(node) if node is not None and _may_be_oversized(text) else None
        if oversized:
            problem, where = oversized
            report.error(path, where.start_mark.line + first_line, f"invalid YAML: {problem}")
            return None
        data = loader.construct_document(node) if node is not None else None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, e.g. a NUL byte
        line = first_line + text.count("\n", 0, exc.position)
        character = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        report.error(path, line, f"invalid YAML: the character {character} is not allowed; delete it")
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else first_line
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        report.error(path, line, f"invalid YAML: {problem} (check quotes, colons and indentation)")
        return None
    except yaml.YAMLError as exc:
        report.error(path, first_line, f"invalid YAML: {exc}")
        return None
    finally:
        loader.dispose()
    if node is None:
        return Located(data={}, line=first_line)
    for key, line in _duplicate_keys(node, first_line):
        report.error(path, line, f"'{key}' is given twice; keep one")
    return _locate(node, data, first_line)


def read_bytes(file: Path, path: str, report: Report) -> bytes | None:
    try:
        return file.read_bytes()
    except OSError as exc:
        report.error(path, 1, f"cannot read the file: {exc.strerror}")
        return None


def decode_text(raw: bytes, path: str, report: Report) -> str | None:
    """The text of a file's bytes with a BOM dropped and line ends made `\\n`; None if not UTF-8."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        report.error(path, line, "the file is not UTF-8 text; save it as UTF-8")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(file: Path, path: str, report: Report) -> str | None:
    raw = read_bytes(file, path, report)
    return None if raw is None else decode_text(raw, path, report)


def parse_markdown(raw: bytes, path: str, report: Report) -> MarkdownSource | None:
    """A Markdown file's front matter and body, from its bytes; None if unreadable (`report` says why)."""
    text = decode_text(raw, path, report)
    if text is None:
        return None
    if not text.strip():
        report.error(path, 1, "the file is empty; it needs front matter between two '---' lines, then the text")
        return None
    if not _FRONT_MATTER.detect(text):
        report.error(path, 1, "no front matter: the file must start with a line '---', the fields, and another '---'")
        return None
    boundaries = list(islice(_FRONT_MATTER.FM_BOUNDARY.finditer(text), 2))
    if len(boundaries) < 2:
        report.error(path, 1, "the front matter is not closed: add a line '---' after the last field")
        return None
    opening, closing = boundaries[0], boundaries[1]
    meta_line = text.count("\n", 0, opening.end()) + 1
    meta = parse_yaml(text[opening.end() : closing.start()], path, report, meta_line)
    if meta is None:
        return None
    if not meta.is_mapping:
        report.error(path, meta.line, "the front matter must be fields written as 'name: value'")
        return None
    # The line after the closing '---' (its pattern's trailing \s* may run on into the body), as
    # MkDocs takes it.
    line_end = text.find("\n", closing.start())
    body_start = len(text) if line_end < 0 else line_end + 1
    body_line = text.count("\n", 0, body_start) + 1
    if not text[body_start:].strip():
        # No body: point at the closing '---' (a line that exists), not past the end of the file.
        body_line = text.count("\n", 0, closing.start()) + 1
    return MarkdownSource(path=path, meta=meta, body=text[body_start:], body_line=body_line, body_start=body_start)
