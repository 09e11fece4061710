"""The GitHub workflows, the pull-request template and the pre-commit hook.

actionlint (the `actionlint` command of the pinned test dependency) validates the workflow files:
syntax, expressions, action inputs and runtimes, and the shell of `run:` steps when shellcheck is
installed. The other tests hold the workflows to what editors rely on.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
WORKFLOWS = REPO / ".github" / "workflows"


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

    setup = next(s for s in steps(content) if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["python-version"] == "3.11"
    script = runs(content)
    assert "pip install -e '.[test]'" in script
    assert re.search(r"^briefs check$", script, re.M)
    assert re.search(r"^mkdocs build --strict$", script, re.M)
    assert script.index("briefs check") < script.index("mkdocs build")

    assert tests["container"].startswith("python:3.11")
    assert "apt-get install -y -qq chromium" in runs(tests)
    assert re.search(r"^make test$", runs(tests), re.M)
    assert tests["env"]["BRIEFS_REQUIRE_BROWSER"] == "1"


def test_main_is_built_and_deployed_to_pages():
    data = workflow("deploy.yml")
    assert data["on"]["push"]["branches"] == ["main"]
    assert data["permissions"] == {"contents": "read"}
    assert data["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    build, deploy = data["jobs"]["build"], data["jobs"]["deploy"]
    assert "mkdocs build --strict" in runs(build)
    assert "briefs check" in runs(build)
    upload = next(s for s in steps(build) if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site/"
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [u.split("@")[0] for u in uses(deploy)] == ["actions/deploy-pages"]
    assert deploy["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"
    assert steps(deploy)[0]["id"] == "deployment"


def test_the_pull_request_template_is_a_checklist():
    text = (REPO / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    items = re.findall(r"^- \[ \] (.+)$", text, re.M)
    assert len(items) >= 5
    assert any("briefs check" in item for item in items)


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
