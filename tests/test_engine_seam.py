"""The one seam between the archive and its engine and theme (plugins/briefing_archive/engine/):
no private MkDocs or material name anywhere else; the engine's names from one place, so the same
code runs under MkDocs and ProperDocs; on an engine or theme version the seam was not tested on,
the speed-ups that lean on internals step aside and the site is the same; cache keys from a
canonical text that is the same in every process.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from test_determinism import archive_files, lay_out, tree

from briefing_archive.canonical import Unkeyable, canonical

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "plugins" / "briefing_archive"
SEAM = PACKAGE / "engine"


def _private_names(path: Path) -> list[str]:
    """`_name`s this file takes from modules or objects that are not its own."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and not node.level:
            found += [f"{node.module}.{alias.name}" for alias in node.names
                      if alias.name.startswith("_") and not alias.name.startswith("__")]
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            owner = node.value
            if not (isinstance(owner, ast.Name) and owner.id in ("self", "cls")):
                found.append(f"{ast.unparse(owner)}.{node.attr}")
    return found


def test_no_private_engine_or_theme_name_outside_the_seam():
    outside = {path.relative_to(PACKAGE).as_posix(): names for path in sorted(PACKAGE.rglob("*.py"))
               if SEAM not in path.parents and (names := _private_names(path))}
    assert outside == {}
    assert _private_names(SEAM / "internals.py")  # the seam is where they are


def test_the_check_finds_a_private_name(tmp_path: Path):
    sample = tmp_path / "sample.py"
    sample.write_text("from mkdocs.commands.build import _build_page\nconfig._current_page = None\n", encoding="utf-8")
    assert _private_names(sample) == ["mkdocs.commands.build._build_page", "config._current_page"]


def test_no_plugin_module_matches_the_engines_log_text():
    """Filters on the engine's loggers tell records by when they come, not by their words."""
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for words in ("Page skipped", "A 'dirty' build", "getMessage().startswith"):
            assert words not in text, (path, words)


def _python(code: str, *, cwd: Path = REPO, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, capture_output=True, text=True,
                          timeout=240, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})})


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_the_engines_names_come_from_the_engine_that_runs(engine: str):
    alias = "import properdocs.replacement\n" if engine == "properdocs" else ""
    result = _python(alias + "from briefing_archive import engine\n"
                     "print(engine.NAME, engine.LOGGER, engine.BUILD_LOGGER, engine.VERSION)")
    assert result.returncode == 0, result.stderr
    name, logger, build_logger, version = result.stdout.split()
    assert (name, logger, build_logger) == (engine, engine, f"{engine}.commands.build")
    assert version == {"mkdocs": "1.6.1", "properdocs": "1.6.7"}[engine]


EMOJI_SETTINGS = """
    import yaml
    from mkdocs.config import load_config
    from briefing_archive.render_cache import salt
    config = load_config(config_file="{config}")
    print(salt((config.markdown_extensions, config.mdx_configs), [], config.markdown_extensions))
"""


def test_the_body_cache_salt_is_the_same_in_every_process_with_materials_emoji_setup(tmp_path: Path):
    """material's documented emoji set-up names functions, whose repr() holds their addresses."""
    (tmp_path / "docs").mkdir()
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\ndocs_dir: docs\ntheme: {name: material}\nmarkdown_extensions:\n"
                      "  - pymdownx.emoji:\n"
                      "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
                      "      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n", encoding="utf-8")
    salts = {_python(EMOJI_SETTINGS.format(config=config), env={"PYTHONHASHSEED": seed}).stdout for seed in "12"}
    assert len(salts) == 1 and len(salts.pop().strip()) == 64


def test_canonical_text_names_functions_and_sorts_mappings():
    from material.extensions.emoji import to_svg, twemoji

    assert canonical({"b": 1, "a": [twemoji, {2, 1}]}) == canonical({"a": [twemoji, {1, 2}], "b": 1})
    text = canonical({"emoji_index": twemoji, "emoji_generator": to_svg})
    assert "material.extensions.emoji:twemoji" in text and "0x" not in text
    assert canonical([1, "1"]) != canonical(["1", 1])


@pytest.mark.parametrize("value", [lambda: None, object()], ids=["lambda", "opaque object"])
def test_a_setting_with_no_stable_text_is_refused(value):
    with pytest.raises(Unkeyable):
        canonical({"setting": value})


def test_a_function_defined_in_a_function_has_no_stable_name():
    def local():
        return None

    with pytest.raises(Unkeyable):
        canonical(local)


UNTESTED = """
    import logging, sys
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from briefing_archive.engine import internals, theme

    internals.SUPPORTED = theme.SUPPORTED = False  # as on an engine and theme of other versions
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logging.getLogger("mkdocs").addHandler(handler)
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    build(load_config(sys.argv[1], site_dir=sys.argv[2]))
"""


def test_on_untested_engine_and_theme_versions_the_speed_ups_step_aside_and_the_site_is_the_same(tmp_path: Path):
    files = archive_files(tmp_path / "scratch")
    root = tmp_path / "archive"
    lay_out(root, files, sorted(files), [1_600_000_000 + 60 * i for i in range(len(files) + 40)])
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("      page_size: 2\n", "      page_size: 2\n      build_workers: 2\n"), encoding="utf-8")
    env = {"SOURCE_DATE_EPOCH": "1893456000", "PYTHONHASHSEED": "0"}
    stepped_aside = subprocess.run([sys.executable, "-c", textwrap.dedent(UNTESTED), str(config), str(tmp_path / "aside")],
                                   cwd=root, capture_output=True, text=True, timeout=240,
                                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env})
    assert stepped_aside.returncode == 0, stepped_aside.stderr
    notes = [line for line in stepped_aside.stderr.splitlines() if "page workers off" in line]
    assert len(notes) == 1 and notes[0].startswith("INFO "), stepped_aside.stderr[-2000:]
    plain = root / "plain.yml"
    plain.write_text(text.replace("      page_size: 2\n", "      page_size: 2\n      speed_ups: false\n"), encoding="utf-8")
    result = subprocess.run([str(Path(sys.executable).with_name("mkdocs")), "build", "-q", "-f", str(plain), "-d",
                             str(tmp_path / "plain")], cwd=root, capture_output=True, text=True, timeout=240,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env})
    assert result.returncode == 0, result.stderr
    aside, oracle = tree(tmp_path / "aside"), tree(tmp_path / "plain")
    assert sorted(aside) == sorted(oracle)
    assert [name for name in oracle if aside[name] != oracle[name]] == []
