"""A new timeline project that validates, builds and serves as it is written (`timeweave init`).

The project is the template folder `project/` beside this module, copied as it is but for the
site's name and `requirements.txt`, which names the timeweave that wrote it.
"""

from __future__ import annotations

import importlib.metadata
import json
from pathlib import Path

import timeweave

TEMPLATE_DIR = Path(__file__).parent / "project"
# A wheel leaves out hidden folders (setuptools' globs skip them), and a .gitignore in the template
# would apply to the timeweave repository itself: the template names these without their dot.
DOTTED_NAMES = {"gitignore": ".gitignore", "github": ".github"}
SITE_NAME_MARK = "__SITE_NAME__"
DEFAULT_TITLE = "New timeline"
REQUIREMENTS = "requirements.txt"

REQUIREMENTS_INTRO = """\
# The timeweave this project was made with; `make build` installs it into .venv. Keep it pinned:
# another version may publish different pages. To install it from elsewhere, replace the line:
#   timeweave==<version>                                  from a package index
#   timeweave @ git+<repository URL>@<commit>#subdirectory=generator
#   timeweave @ file:///<path of a clone>/generator      this computer only (a CI runner has no such folder)
"""


class InitError(Exception):
    """Why no project was written."""


def template_files() -> list[tuple[str, Path]]:
    """(path in the new project, template file) for every file of the template, sorted."""
    found = []
    for path in sorted(TEMPLATE_DIR.rglob("*")):
        parts = path.relative_to(TEMPLATE_DIR).parts
        if path.is_file() and "__pycache__" not in parts:
            found.append(("/".join((DOTTED_NAMES.get(parts[0], parts[0]), *parts[1:])), path))
    return found


def requirement() -> str:
    """The requirement that installs the running timeweave: from where pip installed it (PEP 610's
    direct_url.json: a folder, an archive or a Git commit), else this version from an index."""
    try:
        distribution = importlib.metadata.distribution("timeweave")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree that is not installed
        return f"timeweave=={timeweave.__version__}"
    direct = distribution.read_text("direct_url.json")
    if not direct:
        return f"timeweave=={distribution.version}"
    origin = json.loads(direct)
    url = str(origin["url"])
    vcs = origin.get("vcs_info")
    if vcs is not None:
        url = f"{vcs['vcs']}+{url}@{vcs['commit_id']}"
    if origin.get("subdirectory"):
        url += f"#subdirectory={origin['subdirectory']}"
    return f"timeweave @ {url}"


def _check_title(title: str) -> str:
    title = title.strip()
    if not title or "\n" in title or "\r" in title:
        raise InitError("the title must be one line of text")
    return title


def init_project(target: Path, title: str | None = None) -> list[str]:
    """Write a new project into target (a new or empty folder); returns the paths written."""
    site_name = _check_title(DEFAULT_TITLE if title is None else title)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InitError(f"{target} is not an empty folder, and timeweave init only writes a new project "
                        "into a new or empty one")
    files = template_files()
    written = []
    for path, template in files:
        destination = target / path
        destination.parent.mkdir(parents=True, exist_ok=True)
        data = template.read_bytes()
        if path in ("mkdocs.yml", "README.md"):
            # JSON is valid YAML flow syntax: any name arrives quoted as it was typed.
            shown = json.dumps(site_name, ensure_ascii=False) if path == "mkdocs.yml" else site_name
            data = data.replace(SITE_NAME_MARK.encode(), shown.encode("utf-8"))
        destination.write_bytes(data)
        written.append(path)
    (target / REQUIREMENTS).write_text(REQUIREMENTS_INTRO + requirement() + "\n", encoding="utf-8")
    written.append(REQUIREMENTS)
    return sorted(written)
