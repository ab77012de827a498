"""The committed GitHub automation: workflows that call the README's commands, issue forms,
the pull-request template and the pre-commit hook."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from timeweave.cli.main import parser

from conftest import ROOT

GITHUB = ROOT / ".github"
WORKFLOWS = GITHUB / "workflows"


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def triggers(workflow: dict[Any, Any]) -> Any:
    return workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def readme_make_targets() -> set[str]:
    return set(re.findall(r"^make ([a-z-]+)", (ROOT / "README.md").read_text(), re.M))


def makefile_targets() -> set[str]:
    return set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(), re.M))


def test_workflows_parse_and_only_call_the_readme_commands() -> None:
    documented = readme_make_targets()
    assert {"build", "test", "validate"} <= documented
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert [f.name for f in files] == ["pr.yml", "publish.yml"]
    for path in files:
        workflow = load(path)
        assert workflow["name"] and triggers(workflow) and workflow["jobs"]
        for step in steps(workflow):
            assert ("run" in step) != ("uses" in step), step
            if "run" in step:
                words = shlex.split(step["run"])
                assert words[0] == "make" and words[1] in documented, (path.name, step["run"])
                assert words[1] in makefile_targets()
                assert all(re.match(r"^[A-Z_]+=", w) for w in words[2:]), step["run"]
            else:
                # Only GitHub's own actions, each at a released major version.
                assert re.match(r"^actions/[a-z-]+@v\d+$", step["uses"]), step["uses"]


def pull_request_validate_args() -> list[str]:
    """The arguments pr.yml gives `timeweave validate`, for a pull request against main."""
    validate = next(s for s in steps(load(WORKFLOWS / "pr.yml")) if s.get("run", "").startswith("make validate"))
    value = shlex.split(validate["run"])[2].split("=", 1)[1]
    return shlex.split(value.replace("$BASE", validate["env"]["BASE"].replace("${{ github.base_ref || 'main' }}",
                                                                               "main")))


def test_pull_request_workflow_validates_tests_builds_and_uploads_a_preview() -> None:
    workflow = load(WORKFLOWS / "pr.yml")
    assert "pull_request" in triggers(workflow)
    assert workflow["permissions"] == {"contents": "read"}
    runs = [s["run"] for s in steps(workflow) if "run" in s]
    assert [shlex.split(r)[1] for r in runs] == ["validate", "test", "build"]
    checkout = next(s for s in steps(workflow) if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # --changed needs the base branch's history
    parsed = parser().parse_args(["validate", *pull_request_validate_args()])
    assert (parsed.changed, parsed.base, parsed.format) == (True, "origin/main", "github")
    upload = next(s for s in steps(workflow) if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"].rstrip("/") == "site" and upload["with"]["name"] == "site-preview"
    assert steps(workflow).index(upload) == len(steps(workflow)) - 1


def test_pull_request_workflow_refuses_a_pull_request_that_drops_a_manifest_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # The workflow's own validate arguments, in a real clone whose pull request deletes an event
    # together with its line of published-urls.txt: every other check passes on such a change.
    from timeweave.cli import main as cli

    from conftest import FIXTURES, copy_site
    from gitrepo import commit_all, git, init

    project = copy_site(FIXTURES / "permanence_site", tmp_path / "project")
    init(project)
    commit_all(project, "Publish", "2024-03-01T10:00:00+00:00")
    git(project, "update-ref", "refs/remotes/origin/main", "main")  # what actions/checkout fetches
    git(project, "checkout", "-q", "-b", "pr")
    git(project, "rm", "-q", "content/events/2020/retracted-claim.md")
    manifest = project / "published-urls.txt"
    manifest.write_text(manifest.read_text().replace("/events/retracted-claim/\n", ""))
    commit_all(project, "Remove an event and its URL", "2024-03-02T10:00:00+00:00")
    monkeypatch.chdir(project)
    assert cli.main(["validate", *pull_request_validate_args()]) == cli.EXIT_CONTENT
    out = capsys.readouterr().out
    assert out.startswith("::error file=published-urls.txt,line=")
    assert "published URL /events/retracted-claim/ was removed from the manifest" in out
    assert "the base branch origin/main" in out


def test_publish_workflow_deploys_main_to_pages() -> None:
    workflow = load(WORKFLOWS / "publish.yml")
    assert triggers(workflow)["push"]["branches"] == ["main"]
    assert workflow["permissions"]["pages"] == "write" and workflow["permissions"]["id-token"] == "write"
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    runs = [s["run"] for s in build["steps"] if "run" in s]
    assert runs == ["make build BUILD_ARGS=--publish", "make check-manifest"]
    # The address comes from configure-pages, which therefore runs before the build.
    names = [s.get("uses", "").split("@")[0] or s["run"] for s in build["steps"]]
    assert names.index("actions/configure-pages") < names.index("make build BUILD_ARGS=--publish")
    built = next(s for s in build["steps"] if s.get("run", "").startswith("make build"))
    assert built["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}"
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"].rstrip("/") == "site"
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])


def test_workflows_use_a_maintained_node() -> None:
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for step in steps(load(path)):
            if step.get("uses", "").startswith("actions/setup-node@"):
                assert int(step["with"]["node-version"]) >= 22, path.name


def test_make_passes_the_workflow_arguments_through() -> None:
    dry = subprocess.run(["make", "-n", "validate", "VALIDATE_ARGS=--changed --format github"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    assert "-m timeweave validate --changed --format github" in dry
    dry = subprocess.run(["make", "-n", "new-event", "ARGS=--title T"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    assert "-m timeweave new event --title T" in dry


@pytest.mark.parametrize("name", ["propose-event.yml", "report-correction.yml"])
def test_issue_forms_follow_githubs_schema(name: str) -> None:
    form = load(GITHUB / "ISSUE_TEMPLATE" / name)
    assert form["name"] and form["description"] and isinstance(form["body"], list)
    ids = []
    for element in form["body"]:
        assert element["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"}
        assert set(element) <= {"type", "id", "attributes", "validations"}
        if element["type"] == "markdown":
            assert element["attributes"]["value"].strip()
            continue
        ids.append(element["id"])
        assert element["attributes"]["label"].strip()
        if element["type"] in ("dropdown", "checkboxes"):
            assert element["attributes"]["options"]
    assert len(ids) == len(set(ids)) and all(re.match(r"^[a-z][a-z0-9_-]*$", i) for i in ids)
    assert any(e.get("validations", {}).get("required") for e in form["body"])
    assert "sources" in ids


def test_pull_request_template_has_the_checklist() -> None:
    text = (GITHUB / "pull_request_template.md").read_text()
    items = re.findall(r"^- \[ \] (.+)$", text, re.M)
    assert len(items) >= 5
    assert any("make validate" in item for item in items)
    assert any("source" in item for item in items)


def test_pre_commit_runs_the_validator() -> None:
    config = load(ROOT / ".pre-commit-config.yaml")
    (repo,) = config["repos"]
    (hook,) = repo["hooks"]
    assert repo["repo"] == "local" and hook["language"] == "system" and hook["pass_filenames"] is False
    words = shlex.split(hook["entry"])
    assert words[:2] == ["make", "validate"] and words[1] in readme_make_targets()
    assert re.match(hook["files"], "content/events/2020/x.md")
