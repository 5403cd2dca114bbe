"""The join link: an nbgitpuller link that parses back to the right repository, branch and lesson."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from solidarity_edu.cli import main
from solidarity_edu.course import load_course
from solidarity_edu.errors import CourseError
from solidarity_edu.link import LinkError, lesson_link, nbgitpuller_link, repo_name

REPO = "https://github.com/our-circle/circle-notebooks.git"


def _parse(link: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(link)
    query = parse_qs(parts.query, strict_parsing=True)
    assert all(len(values) == 1 for values in query.values())
    return f"{parts.scheme}://{parts.netloc}{parts.path}", {key: values[0] for key, values in query.items()}


def test_link_parses_back_to_repo_branch_and_lesson():
    link = nbgitpuller_link("https://hub.example.org", REPO, "07-defining-solidarity.ipynb")
    endpoint, query = _parse(link)
    assert endpoint == "https://hub.example.org/hub/user-redirect/git-pull"
    assert query == {
        "repo": REPO,
        "branch": "main",
        "targetpath": "circle-notebooks",
        "urlpath": "lab/tree/circle-notebooks/notebooks/07-defining-solidarity.ipynb",
    }


def test_target_and_urlpath_name_the_same_folder():
    """nbgitpuller clones into targetpath and redirects to urlpath; they must agree."""
    for repo in (REPO, "https://github.com/our-circle/circle-notebooks", "git@github.com:our-circle/circle-notebooks"):
        _, query = _parse(nbgitpuller_link("https://hub.example.org/", repo, "a.ipynb", branch="fall"))
        assert query["targetpath"] == "circle-notebooks"
        assert query["urlpath"] == "lab/tree/circle-notebooks/notebooks/a.ipynb"
        assert query["branch"] == "fall"
    _, query = _parse(nbgitpuller_link("https://hub.example.org", REPO, "a.ipynb", target="circles/spring"))
    assert query["targetpath"] == "circles/spring"
    assert query["urlpath"] == "lab/tree/circles/spring/notebooks/a.ipynb"
    _, query = _parse(nbgitpuller_link("https://hub.example.org", REPO, "a.ipynb", app="notebook"))
    assert query["urlpath"] == "tree/circle-notebooks/notebooks/a.ipynb"


def test_odd_characters_are_quoted_and_survive_the_round_trip():
    repo = "https://git.example.org/our circle?/x&y=1#frag.git".replace(" ", "%20")
    notebook = "07 définir & agir #1?.ipynb"
    link = nbgitpuller_link("https://hub.example.org/prefix/", repo, notebook, branch="fall/2025+b", target="my circle")
    assert " " not in link and "#" not in link
    assert link.count("?") == 1 and "&y=" not in link
    endpoint, query = _parse(link)
    assert endpoint == "https://hub.example.org/prefix/hub/user-redirect/git-pull"
    assert query["repo"] == repo
    assert query["branch"] == "fall/2025+b"
    assert query["targetpath"] == "my circle"
    # urlpath is a URL path (nbgitpuller appends it to the server's base URL), so its parts are
    # percent-encoded once more; decoding it gives the file JupyterLab opens.
    assert "#" not in query["urlpath"] and "?" not in query["urlpath"]
    assert unquote(query["urlpath"]) == f"lab/tree/my circle/notebooks/{notebook}"


def test_repo_name_is_the_clone_folder_without_dot_git():
    assert repo_name("https://github.com/org/circle.git") == "circle"
    assert repo_name("https://github.com/org/circle/") == "circle"
    assert repo_name("git@github.com:circle.git") == "circle"
    assert repo_name("/srv/git/circle.git") == "circle"


@pytest.mark.parametrize(
    ("hub", "expected"),
    [
        ("hub.example.org", "https://"),
        ("ftp://hub.example.org", "https://"),
        ("https://", "https://"),
        ("https://hub.example.org/?next=/lab", "without '?"),
        ("https://hub.example.org/#top", "without '?"),
        ("https://hub.example.org/hub/home", "e.g. https://hub.example.org)"),
        ("https://hub.example.org/pre/user/ana/lab", "e.g. https://hub.example.org/pre)"),
    ],
)
def test_bad_hub_is_a_clear_error(hub, expected):
    with pytest.raises(LinkError, match="--hub") as err:
        nbgitpuller_link(hub, REPO, "a.ipynb")
    assert expected in str(err.value)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"repo": ""}, "--repo"),
        ({"repo": "https://x/a b.git"}, "--repo"),
        ({"branch": ""}, "--branch"),
        ({"target": "../elsewhere"}, "target"),
        ({"target": "/home/ana"}, "target"),
        ({"lesson_notebook": "../secret.ipynb"}, "lesson notebook"),
        ({"app": "rstudio"}, "app"),
    ],
)
def test_bad_arguments_are_clear_errors(kwargs, expected):
    args = {"hub": "https://hub.example.org", "repo": REPO, "lesson_notebook": "a.ipynb", **kwargs}
    with pytest.raises(LinkError, match=expected):
        nbgitpuller_link(**args)


def test_lesson_link_uses_the_notebook_named_in_course_yaml(root):
    course = load_course(root / "notebooks" / "course.yaml")
    link = lesson_link(course, "07-defining-solidarity", "https://hub.example.org", REPO)
    _, query = _parse(link)
    assert query["urlpath"] == "lab/tree/circle-notebooks/notebooks/07-defining-solidarity.ipynb"


def test_unknown_lesson_lists_the_valid_ids(root):
    course = load_course(root / "notebooks" / "course.yaml")
    with pytest.raises(CourseError) as err:
        lesson_link(course, "07-solidarity", "https://hub.example.org", REPO)
    message = str(err.value)
    assert "'07-solidarity'" in message
    assert all(lesson.id in message for lesson in course.lessons)


def test_cli_prints_the_link(root, capsys, monkeypatch):
    monkeypatch.delenv("SOLIDARITY_EDU_STUDENT_REPO", raising=False)
    course = str(root / "notebooks" / "course.yaml")
    argv = ["--course", course, "link", "--hub", "https://hub.example.org", "--lesson", "07-defining-solidarity"]
    assert main([*argv, "--repo", REPO, "--branch", "spring"]) == 0
    out = capsys.readouterr().out.strip()
    _, query = _parse(out)
    assert query["repo"] == REPO and query["branch"] == "spring"

    monkeypatch.setenv("SOLIDARITY_EDU_STUDENT_REPO", "https://git.example.org/circle.git")
    assert main(argv) == 0
    _, query = _parse(capsys.readouterr().out.strip())
    assert query["repo"] == "https://git.example.org/circle.git"
    assert query["urlpath"] == "lab/tree/circle/notebooks/07-defining-solidarity.ipynb"


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (["--hub", "https://hub.example.org", "--lesson", "07-defining-solidarity"], "--repo"),
        (["--hub", "hub.example.org", "--lesson", "07-defining-solidarity", "--repo", REPO], "--hub"),
        (["--hub", "https://hub.example.org", "--lesson", "99-nope", "--repo", REPO], "07-defining-solidarity"),
    ],
)
def test_cli_errors_are_one_line_without_traceback(root, capsys, monkeypatch, extra, expected):
    monkeypatch.delenv("SOLIDARITY_EDU_STUDENT_REPO", raising=False)
    assert main(["--course", str(root / "notebooks" / "course.yaml"), "link", *extra]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert expected in lines[0] and "Traceback" not in captured.err
