"""One link to join a study circle: an nbgitpuller link that pulls the student notebooks into a
participant's home on a JupyterHub and opens one lesson in JupyterLab.

The link has the form nbgitpuller documents (https://nbgitpuller.readthedocs.io/en/latest/topic/url-options.html)::

    {hub}/hub/user-redirect/git-pull?repo=REPO&branch=BRANCH&targetpath=TARGET
        &urlpath=lab/tree/TARGET/notebooks/LESSON.ipynb

``targetpath`` is always given, so the folder nbgitpuller clones into and the folder ``urlpath``
opens are the same: left to itself nbgitpuller clones ``https://host/org/circle.git`` into
``circle.git/``, not ``circle/``. Clicking the link again later pulls updates and keeps local work
(nbgitpuller never overwrites a participant's changes); answers live in the private journal anyway.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import quote, urlencode, urlsplit

from .course import Course
from .errors import LinkError

STUDENT_REPO_ENV = "SOLIDARITY_EDU_STUDENT_REPO"
NOTEBOOKS_DIR = "notebooks"  # where the published student repository keeps the lessons
_APPS = {"lab": "lab/tree/", "notebook": "tree/"}


def _check_hub(hub: str) -> str:
    hub = hub.strip()
    parts = urlsplit(hub)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise LinkError(
            f"--hub {hub!r}: give the hub's web address starting with https:// (e.g. https://hub.example.org)"
        )
    if parts.query or parts.fragment:
        raise LinkError(
            f"--hub {hub!r}: give only the hub's address, without '?…' or '#…' (e.g. https://hub.example.org)"
        )
    path = parts.path.rstrip("/")
    segments = path.split("/")
    inside = [i for i, segment in enumerate(segments) if segment in ("hub", "user")]
    if inside:
        base = f"{parts.scheme}://{parts.netloc}{'/'.join(segments[: inside[0]])}"
        raise LinkError(f"--hub {hub!r}: give the hub's base address, not a page inside it (e.g. {base})")
    return f"{parts.scheme}://{parts.netloc}{path}"


def _check_relative(what: str, value: str) -> str:
    value = value.strip().replace("\\", "/").rstrip("/")
    parts = value.split("/")
    if not value or any(p in ("", ".", "..") for p in parts):
        raise LinkError(
            f"{what} {value!r}: expected a relative path inside the home folder, not starting with '/', without '..' or '//'"
        )
    return value


def repo_name(repo: str) -> str:
    """The folder git and nbgitpuller's link generator name a clone of ``repo``: its last path part
    without ``.git`` (``https://host/org/circle.git`` -> ``circle``; ``git@host:org/circle`` -> ``circle``)."""
    last = re.split(r"[/:]", repo.strip().rstrip("/"))[-1]
    name = last.removesuffix(".git")
    if not name:
        raise LinkError(f"--repo {repo!r}: cannot tell the repository's name; pass the git URL of the repository")
    return name


def nbgitpuller_link(
    hub: str,
    repo: str,
    lesson_notebook: str,
    branch: str = "main",
    target: str | None = None,
    app: str = "lab",
) -> str:
    """The nbgitpuller link that clones/updates ``repo`` into ``~/target`` and opens
    ``target/notebooks/lesson_notebook`` in ``app`` ("lab" for JupyterLab, "notebook" for Notebook 7)."""
    base = _check_hub(hub)
    repo = repo.strip()
    if not repo or any(ch.isspace() for ch in repo):
        raise LinkError(
            f"--repo {repo!r}: give the git URL of your published student repository "
            "(e.g. https://github.com/your-org/circle-notebooks.git)"
        )
    branch = branch.strip()
    if not branch or any(ch.isspace() for ch in branch):
        raise LinkError(f"--branch {branch!r}: give a branch name of the student repository, e.g. main")
    if app not in _APPS:
        raise LinkError(f"app {app!r}: choose one of {', '.join(_APPS)}")
    folder = _check_relative("target", target if target is not None else repo_name(repo))
    notebook = _check_relative("lesson notebook", lesson_notebook)
    # urlpath is a URL path (nbgitpuller redirects to the server's base URL + urlpath), so each part of
    # the file path is percent-encoded there; targetpath is a plain folder name.
    file_path = posixpath.join(folder, NOTEBOOKS_DIR, notebook)
    urlpath = _APPS[app] + quote(file_path, safe="/")
    query = urlencode({"repo": repo, "branch": branch, "targetpath": folder, "urlpath": urlpath}, quote_via=quote)
    return f"{base}/hub/user-redirect/git-pull?{query}"


def lesson_link(
    course: Course,
    lesson_id: str,
    hub: str,
    repo: str,
    branch: str = "main",
    target: str | None = None,
    app: str = "lab",
) -> str:
    """The join link for one lesson of ``course``; an unknown lesson id is an error listing the ids."""
    lesson = course.lesson(lesson_id)  # CourseError naming course.yaml and every lesson id
    notebook = lesson.notebook.relative_to(course.root).as_posix()
    return nbgitpuller_link(hub, repo, notebook, branch=branch, target=target, app=app)
