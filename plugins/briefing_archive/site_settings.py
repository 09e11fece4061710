"""What the archive's own commands need from mkdocs.yml, read without MkDocs (`briefs check`,
`briefs changes`): the site's name, address and language, and the `briefing-archive` plugin's
options that decide which pages exist. `INHERIT` is followed; tags are read as plain values."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

# The plugin's defaults (mkdocs_plugin/config.py says the same; a test holds them together).
SETTING_DEFAULTS = {"page_size": 20, "feed_size": 20, "home_latest": 7}
PLUGIN = "briefing-archive"


@dataclass(frozen=True)
class SiteSettings:
    site_name: str = ""
    site_url: str = ""
    language: str = "en"  # theme.language: a brief without `language` has it
    page_size: int = SETTING_DEFAULTS["page_size"]
    feed_size: int = SETTING_DEFAULTS["feed_size"]
    home_latest: int = SETTING_DEFAULTS["home_latest"]


class _AnyTagLoader(yaml.SafeLoader):
    """mkdocs.yml may hold `!!python/name:` and `!ENV` tags: read as plain values, never run."""


def _untagged(loader: yaml.SafeLoader, _suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_AnyTagLoader.add_multi_constructor("!", _untagged)
_AnyTagLoader.add_multi_constructor("tag:yaml.org,2002:python/", _untagged)


def _read_config(file: Path, fallback_dir: Path | None, depth: int = 0) -> dict:
    try:
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=_AnyTagLoader)  # noqa: S506 (safe loader)
    except (OSError, ValueError, yaml.YAMLError):
        return {}
    if not isinstance(data, dict):
        return {}
    parent = data.pop("INHERIT", None)
    if isinstance(parent, str) and depth < 5:
        found = file.parent / parent
        if not found.is_file() and fallback_dir is not None:
            found = fallback_dir / parent  # a file outside the revision: the working tree's
        base = _read_config(found, fallback_dir, depth + 1)
        base.update(data)  # top-level keys override, as `plugins:` does in MkDocs
        data = base
    return data


def read_settings(root: Path, fallback_dir: Path | None = None) -> SiteSettings:
    """The settings in `root/mkdocs.yml`; the plugin's defaults where it says nothing. `fallback_dir`:
    where an `INHERIT`ed file outside `root` is looked for (a revision laid out elsewhere)."""
    data = _read_config(root / "mkdocs.yml", fallback_dir)
    options: dict = {}
    plugins = data.get("plugins") or []
    items = plugins.items() if isinstance(plugins, dict) else \
        ((next(iter(p.items())) if isinstance(p, dict) and p else (p, None)) for p in plugins)
    for name, value in items:
        if isinstance(name, str) and name.split("/")[-1] == PLUGIN and isinstance(value, dict):
            options = value
    numbers = {key: options[key] if isinstance(options.get(key), int) and options[key] > 0 else default
               for key, default in SETTING_DEFAULTS.items()}
    theme = data.get("theme")
    language = theme.get("language") if isinstance(theme, dict) else None
    return SiteSettings(site_name=str(data.get("site_name") or ""), site_url=str(data.get("site_url") or ""),
                        language=language if isinstance(language, str) and language else "en", **numbers)
