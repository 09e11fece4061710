"""What the plugin does as MkDocs shuts down."""

import gc

import pytest

from briefing_archive.mkdocs_plugin.plugin import ArchivePlugin


@pytest.fixture
def freeze_count():
    gc.unfreeze()
    yield gc.get_freeze_count
    gc.unfreeze()  # the rest of the suite collects as usual


@pytest.mark.parametrize("command", ["build", "gh-deploy"])
def test_a_command_that_exits_after_its_build_skips_the_last_garbage_collection(command, freeze_count):
    plugin = ArchivePlugin()
    plugin.on_startup(command=command, dirty=False)
    plugin.on_shutdown()
    assert freeze_count() > 0


def test_serve_and_a_build_run_without_a_command_collect_as_usual(freeze_count):
    served = ArchivePlugin()
    served.on_startup(command="serve", dirty=False)
    served.on_shutdown()
    ArchivePlugin().on_shutdown()  # e.g. mkdocs.commands.build.build() called by a script
    assert freeze_count() == 0
