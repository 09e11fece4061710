"""The GitHub workflows, the lock file they and the Makefile install from, the pull-request
template and the pre-commit hook.

actionlint (the `actionlint` command of the pinned test dependency) validates the workflow files:
syntax, expressions, action inputs and runtimes, and the shell of `run:` steps when shellcheck is
installed. The other tests hold the workflows to what editors rely on, and the installs to
requirements.lock: everything pinned, every file hashed, the venv the lock's.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from importlib.metadata import distributions
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parent.parent
WORKFLOWS = REPO / ".github" / "workflows"
LOCK = REPO / "requirements.lock"
LOCK_INSTALL = "pip install --quiet --require-hashes -r requirements.lock"
PROJECT_INSTALL = "pip install --quiet --no-deps --no-build-isolation -e ."


def actionlint() -> str:
    found = Path(sys.executable).with_name("actionlint")
    command = str(found) if found.exists() else shutil.which("actionlint")
    assert command, "actionlint is missing: pip install -e '.[test]'"
    return command


def workflow(name: str) -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return job["steps"]


def runs(job: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in steps(job))


def uses(job: dict[str, Any]) -> list[str]:
    return [step["uses"] for step in steps(job) if "uses" in step]


def step_using(job: dict[str, Any], action: str) -> dict[str, Any]:
    (step,) = [s for s in steps(job) if s.get("uses", "").startswith(action + "@")]
    return step


def step_index(job: dict[str, Any], run: str) -> int:
    return next(i for i, s in enumerate(steps(job)) if run in s.get("run", ""))


@dataclass(frozen=True)
class Pin:
    version: str
    marker: str | None
    hashes: tuple[str, ...]

    def applies(self) -> bool:
        return self.marker is None or Marker(self.marker).evaluate()


def lock_pins(text: str) -> dict[str, list[Pin]]:
    """A requirements lock's pins by normalized name (a name may stand twice, under other markers)."""
    pins: dict[str, list[Pin]] = {}
    for entry in re.split(r"\n(?=\S)", text):  # an entry starts at column 0, its hashes are indented
        head = entry.split("\n", 1)[0].rstrip(" \\")
        if not head or head.startswith("#"):
            continue
        found = re.fullmatch(r"([A-Za-z0-9._-]+)==([^\s;]+)(?:\s*;\s*(.+))?", head)
        assert found, f"not a pinned requirement in {LOCK.name}: {head!r}"
        name, version, marker = found.groups()
        hashes = tuple(re.findall(r"--hash=sha256:([0-9a-f]{64})\b", entry))
        pins.setdefault(canonicalize_name(name), []).append(Pin(version, marker, hashes))
    return pins


def locked() -> dict[str, Pin]:
    """The lock's pin of each package for this interpreter and platform."""
    chosen: dict[str, Pin] = {}
    for name, pins in lock_pins(LOCK.read_text(encoding="utf-8")).items():
        applying = [pin for pin in pins if pin.applies()]
        assert len(applying) <= 1, f"{name} is locked twice for this interpreter: {applying}"
        chosen.update({name: pin for pin in applying})
    return chosen


def make(*args: str) -> str:
    """What make would run or knows (a dry run: nothing is executed), as the workflows call it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}  # not `make test`'s flags
    done = subprocess.run(["make", *args], cwd=REPO, capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def installs_checks_and_builds(script: str) -> None:
    """The venv from the lock (the Makefile's install), then the content check, then a strict build."""
    lines = script.splitlines()
    order = ["make .venv/.installed", ".venv/bin/briefs check", ".venv/bin/mkdocs build --strict"]
    assert all(line in lines for line in order), script
    # the fonts of the share cards, before the build (without them it draws none)
    fonts = next(i for i, line in enumerate(lines) if "apt-get install" in line and "fonts-noto-cjk" in line)
    assert fonts < lines.index(".venv/bin/mkdocs build --strict")
    assert [lines.index(line) for line in order] == sorted(lines.index(line) for line in order)


def test_actionlint_accepts_every_workflow():
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert {f.name for f in files} >= {"pr.yml", "deploy.yml"}
    done = subprocess.run([actionlint(), "-no-color", *map(str, files)], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_really_checks(tmp_path: Path):
    """A broken workflow fails, so a passing run above means something."""
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo ${{ github.event.no_such_thing.x }\n", encoding="utf-8")
    done = subprocess.run([actionlint(), "-no-color", str(bad)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1


def test_pull_requests_run_the_check_a_strict_build_and_the_tests():
    data = workflow("pr.yml")
    assert "pull_request" in data["on"]
    assert data["permissions"] == {"contents": "read"}
    assert data["concurrency"]["cancel-in-progress"] is True
    content, tests = data["jobs"]["content"], data["jobs"]["tests"]

    setup = step_using(content, "actions/setup-python")
    assert setup["with"]["python-version"] == "3.11"
    installs_checks_and_builds(runs(content))

    assert tests["container"].startswith("python:3.11")
    assert "apt-get install -y -qq chromium" in runs(tests)
    assert re.search(r"^make test$", runs(tests), re.M)
    assert tests["env"]["BRIEFS_REQUIRE_BROWSER"] == "1"


def test_pull_requests_summarise_what_they_change_on_the_site():
    """`briefs changes` against the target branch, before the check (so the summary is there when
    the check fails), on a checkout with the history it compares with."""
    content = workflow("pr.yml")["jobs"]["content"]
    assert step_using(content, "actions/checkout")["with"]["fetch-depth"] == 0
    (step,) = [s for s in steps(content) if ".venv/bin/briefs changes" in s.get("run", "")]
    assert step["run"].strip() == '.venv/bin/briefs changes "origin/$GITHUB_BASE_REF"'
    assert step_index(content, "make .venv/.installed") < step_index(content, "briefs changes") \
        < step_index(content, "briefs check")
    assert "if" not in step and "continue-on-error" not in step


def test_main_is_built_and_deployed_to_pages():
    data = workflow("deploy.yml")
    assert data["on"]["push"]["branches"] == ["main"]
    assert data["permissions"] == {"contents": "read"}
    assert data["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    build, deploy = data["jobs"]["build"], data["jobs"]["deploy"]
    installs_checks_and_builds(runs(build))
    upload = next(s for s in steps(build) if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site/"
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [u.split("@")[0] for u in uses(deploy)] == ["actions/deploy-pages"]
    assert deploy["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"
    assert steps(deploy)[0]["id"] == "deployment"


def test_main_is_also_published_every_day_for_scheduled_briefs():
    """A scheduled brief (dated after the build's date) goes out with the first build on or after
    its date: a daily scheduled run is that build, without anyone pushing."""
    data = workflow("deploy.yml")
    (schedule,) = data["on"]["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert (day, month, weekday) == ("*", "*", "*")  # every day
    assert minute.isdigit() and 0 <= int(minute) < 60 and hour.isdigit() and int(hour) < 8  # early, UTC
    assert "push" in data["on"] and "workflow_dispatch" in data["on"]
    # The scheduled run is the very job a push runs: the check, then the strict build, then the deploy.
    assert not any("if" in job for job in data["jobs"].values())
    installs_checks_and_builds(runs(data["jobs"]["build"]))


def test_the_deploy_keeps_the_archive_caches_falling_back_across_code_changes():
    build = workflow("deploy.yml")["jobs"]["build"]
    cache = step_using(build, "actions/cache")
    assert cache["with"]["path"].strip().rstrip("/") == ".cache"
    key = cache["with"]["key"]
    (hashed,) = re.findall(r"hashFiles\(([^)]*)\)", key)
    patterns = re.findall(r"'([^']+)'", hashed)
    assert "requirements.lock" in patterns and "plugins/**" in patterns
    for pattern in patterns:  # a misspelt pattern hashes nothing, and the key would not change
        assert any(REPO.glob(pattern)), f"hashFiles('{pattern}') matches no file"
    # A new cache each run, restored first from one of the same lock and plugin code, then from any
    # earlier run (every cache inside is salted with what made it, so nothing stale is used): each
    # restore key a prefix of the key, the more specific first, the last one the OS's alone.
    assert key.endswith("-${{ github.run_id }}")
    hashed_part = key[:key.index("}}", key.index("hashFiles(")) + 2]
    restore = [line.strip() for line in cache["with"].get("restore-keys", "").splitlines() if line.strip()]
    assert restore and all(key.startswith(r) for r in restore)
    assert restore[0].startswith(hashed_part) and restore[-1] == "briefing-cache-${{ runner.os }}-"
    assert [len(r) for r in restore] == sorted((len(r) for r in restore), reverse=True)
    # restored before the check and the build read and fill it
    index = steps(build).index(cache)
    assert index < step_index(build, "briefs check") < step_index(build, "mkdocs build")


@pytest.mark.parametrize("name", ["pr.yml", "deploy.yml"])
def test_the_workflows_install_from_the_lock_through_the_makefile(name: str):
    jobs = workflow(name)["jobs"]
    installing = 0
    for job in jobs.values():
        if "steps" not in job or not any(s.get("uses", "").startswith("actions/checkout@") for s in steps(job)):
            continue
        script = runs(job)
        assert "pip install" not in script, "install through the Makefile, from requirements.lock"
        for target in re.findall(r"^make (\S+)$", script, re.M):
            dry = make("-n", "-B", target)  # what it runs on a fresh checkout
            assert dry.index(LOCK_INSTALL) < dry.index(PROJECT_INSTALL), dry
            installing += 1
        if ".venv/bin/" in script:
            assert step_index(job, "make .venv/.installed") < step_index(job, ".venv/bin/")
        for step in steps(job):
            if step.get("uses", "").startswith("actions/setup-python@") and "cache" in step["with"]:
                assert step["with"]["cache-dependency-path"] == "requirements.lock"
            if step.get("uses", "").startswith("actions/cache@") and "pip" in step["with"]["path"]:
                assert "hashFiles('requirements.lock')" in step["with"]["key"]
    assert installing


def test_the_makefile_installs_the_lock_with_hashes_and_the_project_without_fetching():
    database = make("-p", "-n", ".venv/.installed")
    (rule,) = re.findall(r"^\.venv/\.installed: (.*)$", database, re.M)
    assert set(rule.split()) >= {"requirements.lock", "pyproject.toml"}  # either changed: install again
    dry = make("-n", "-B", ".venv/.installed")
    installs = [line for line in dry.splitlines() if "pip install" in line]
    assert [i.split("-m ", 1)[1] for i in installs] == [LOCK_INSTALL, PROJECT_INSTALL]
    for target in ["serve", "build", "check", "test", "bench"]:
        assert LOCK_INSTALL in make("-n", "-B", target)


def test_lock_pins_reads_versions_markers_and_hashes():
    text = ("# header\nabc-Def==1.0 \\\n    --hash=sha256:" + "a" * 64 + " \\\n    --hash=sha256:" + "b" * 64
            + "\n    # via x\nnohash==2.0 ; python_version < '3'\n    # via y\n")
    assert lock_pins(text) == {"abc-def": [Pin("1.0", None, ("a" * 64, "b" * 64))],
                               "nohash": [Pin("2.0", "python_version < '3'", ())]}


def test_the_lock_is_made_by_the_pinned_tool_for_this_platform():
    text = LOCK.read_text(encoding="utf-8")
    assert "make lock" in text.split("\n", 3)[1]  # uv's header names the command that makes it
    (tool,) = re.findall(r"^UV := (\S+)$", (REPO / "Makefile").read_text(encoding="utf-8"), re.M)
    name, version = tool.split("==")
    assert locked()[name].version == version  # the lock tool is locked too
    # the build backend the editable install runs with (--no-build-isolation) is in the lock
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    for requirement in map(Requirement, config["build-system"]["requires"]):
        pin = locked()[canonicalize_name(requirement.name)]
        assert requirement.specifier.contains(pin.version) and pin.hashes


def test_every_installed_distribution_is_locked_with_hashes():
    if sys.prefix == sys.base_prefix:
        pytest.skip("not in a virtual environment: run through make test")
    installed = {canonicalize_name(d.metadata["Name"]): d.version for d in distributions()}
    installed.pop("briefing-archive")  # the project itself, installed editable from the work tree
    pins = locked()
    unlocked = sorted(set(installed) - set(pins))
    assert not unlocked, f"installed but not in {LOCK.name} (make lock): {unlocked}"
    assert not [name for name in installed if not pins[name].hashes]
    stale = {name: (version, pins[name].version) for name, version in installed.items()
             if version != pins[name].version}
    assert not stale, f"installed (left) is not what {LOCK.name} says (right): make .venv/.installed: {stale}"
    assert not sorted(set(pins) - set(installed)), "locked for this interpreter but not installed"


def test_every_direct_dependency_is_pinned_at_the_locked_version():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    direct = [*config["dependencies"], *(r for extra in config["optional-dependencies"].values() for r in extra)]
    assert {"properdocs", "mkdocs-glightbox", "mkdocs-minify-plugin", "mkdocs-macros-plugin"} <= {
        canonicalize_name(Requirement(r).name) for r in config["optional-dependencies"]["test"]}
    pins = locked()
    for requirement in map(Requirement, direct):
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", f"{requirement} is not pinned exactly"
        assert pins[canonicalize_name(requirement.name)].version == specifier.version, requirement


def test_both_engines_are_installed():
    """The suite builds under MkDocs and under its fork ProperDocs: both commands are there."""
    for engine, version in [("mkdocs", "1.6.1"), ("properdocs", "1.6.7")]:
        done = subprocess.run([str(Path(sys.executable).with_name(engine)), "--version"],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0 and f"version {version} " in done.stdout, done.stdout + done.stderr


def test_the_pull_request_template_is_a_checklist():
    text = (REPO / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    items = re.findall(r"^- \[ \] (.+)$", text, re.M)
    assert len(items) >= 5
    assert any("briefs check" in item for item in items)
    assert any("briefs changes" in item for item in items)


def _hooks() -> list[dict[str, Any]]:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (local,) = [r for r in config["repos"] if r["repo"] == "local"]
    return local["hooks"]


@pytest.mark.parametrize("path, hook", [
    ("content/briefs/2023/allied-cyber-talks-crypto-theft.md", "briefs-check"),
    ("content/authors/sam-ortiz.md", "briefs-check"),
    ("site_config/topics.yml", "briefs-check-all"),
    ("plugins/briefing_archive/cli.py", None),
    ("content/authors/photos/sam-ortiz.svg", None),
])
def test_pre_commit_runs_briefs_check_on_changed_content(path: str, hook: str | None):
    matching = [h["id"] for h in _hooks() if re.search(h["files"], path)]
    assert matching == ([hook] if hook else [])


def test_the_pre_commit_hook_command_works():
    (hook,) = [h for h in _hooks() if h["id"] == "briefs-check"]
    assert hook["entry"] == ".venv/bin/briefs check" and hook["pass_filenames"] is True
    briefs = Path(sys.executable).with_name("briefs")  # .venv/bin/briefs when run by `make test`
    files = ["content/briefs/2023/allied-cyber-talks-crypto-theft.md", "content/index.md"]
    done = subprocess.run([str(briefs), "check", *files], cwd=REPO, capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1].startswith("2 files checked against the archive: no problems.")
