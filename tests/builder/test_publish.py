"""Publishing the student repository, and the re-pull story with real git and nbgitpuller's own puller."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import nbformat
import pytest
import yaml
from fixtures.make_course import ANSWER_MARKER, FACILITATOR_MARKER
from nbgitpuller.pull import GitPuller

from solidarity_edu.cli import main
from solidarity_edu.course import load_course
from solidarity_edu.journal import Journal
from solidarity_edu.link import nbgitpuller_link
from solidarity_edu.publish import PublishError, publish_student_repo
from solidarity_edu.tags import audience_tag, cell_tags

TEACHER_ONLY = {"facilitator", "answer-key", "remove-cell", "print-only"}
UPDATE = "UPDATED-BY-FACILITATOR: a corrected paragraph."
LOCAL_NOTE = "ANA-LOCAL-NOTE: my own note in the lesson."
ANSWER = "Ana's private answer: I stand with my neighbours."


@pytest.fixture()
def project(fixture_build, tmp_path, monkeypatch):
    """A copy of the built fixture course (never the shared one) with a few data files, a gitignored
    file and a ``_parts`` folder; git gets a clean home so no personal config leaks in."""
    course_yaml, exports, _ = fixture_build
    root = tmp_path / "project"
    shutil.copytree(course_yaml.parent.parent, root)
    shutil.copytree(exports, tmp_path / "exports")
    data = root / "data"
    (data / "camps").mkdir(parents=True, exist_ok=True)
    (data / "camps" / "camps.csv").write_text("id,name\nmanzanar,Manzanar\n", encoding="utf-8")
    (data / "camps" / "camps.meta.yaml").write_text("title: Camps\n", encoding="utf-8")
    (data / "timeline" / "_parts").mkdir(parents=True)
    (data / "timeline" / "timeline.csv").write_text("id,year\na,1882\n", encoding="utf-8")
    (data / "timeline" / "_parts" / "exclusion.csv").write_text("id,year\na,1882\n", encoding="utf-8")
    (data / "scratch").mkdir()
    (data / "scratch" / "draft.csv").write_text("x\n1\n", encoding="utf-8")
    (data / "camps" / "notes.tmp").write_text("scratch\n", encoding="utf-8")
    (root / ".gitignore").write_text("data/scratch/\n*.tmp\n", encoding="utf-8")
    home = tmp_path / "facilitator-home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.delenv("SOLIDARITY_EDU_JOURNAL", raising=False)
    return root, tmp_path / "exports"


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "user.name=Facilitator", "-c", "user.email=facilitator@example.org", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
    return result.stdout


def pull(repo: str, repo_dir: Path, branch: str) -> str:
    """What nbgitpuller's SyncHandler does when a participant clicks the link."""
    return "".join(GitPuller(repo, str(repo_dir), branch=branch).pull())


def test_publish_writes_student_notebooks_data_and_readme(project, tmp_path):
    root, exports = project
    course = load_course(root / "notebooks" / "course.yaml")
    out = tmp_path / "circle"
    written = publish_student_repo(exports, course, out, audience="community")

    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert files == [
        ".gitignore",
        ".solidarity-edu-published.json",
        "README.md",
        "data/camps/camps.csv",
        "data/camps/camps.meta.yaml",
        "data/timeline/timeline.csv",
        "notebooks/01-alpha.ipynb",
        "notebooks/02-beta.ipynb",
        "notebooks/course.yaml",
    ]
    assert {p.relative_to(out).as_posix() for p in written} == set(files) - {".solidarity-edu-published.json"}

    for lesson in course.lessons:
        published = out / "notebooks" / lesson.notebook.name
        assert published.read_bytes() == (exports / lesson.id / "community" / "student.ipynb").read_bytes()
        nb = nbformat.read(published, as_version=4)
        for cell in nb.cells:
            tags = cell_tags(cell)
            assert not tags & TEACHER_ONLY, cell.source
            assert audience_tag("high-school") not in tags
        text = published.read_text(encoding="utf-8")
        assert ANSWER_MARKER not in text and FACILITATOR_MARKER not in text
        assert "Only for the community audience." in text
        assert any("prompt" in cell_tags(cell) for cell in nb.cells)  # the answer boxes are there

    assert (out / "notebooks" / "course.yaml").read_bytes() == course.path.read_bytes()
    republished = load_course(out / "notebooks" / "course.yaml")  # the lessons find their course
    assert [lesson.id for lesson in republished.lessons] == ["01-alpha", "02-beta"]
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "journal" in readme and "link again" in readme and "notebooks/02-beta.ipynb" in readme


def test_republish_replaces_notebooks_and_keeps_the_facilitators_files(project, tmp_path):
    root, exports = project
    course = load_course(root / "notebooks" / "course.yaml")
    out = tmp_path / "circle"
    publish_student_repo(exports, course, out)
    git(out, "init", "-q", "-b", "main")
    (out / "NOTES.md").write_text("facilitator's own notes\n", encoding="utf-8")
    (out / "notebooks" / "extra-reading.ipynb").write_text("{}", encoding="utf-8")
    (out / "notebooks" / "01-alpha.ipynb").write_text("stale", encoding="utf-8")

    # The course drops lesson 02 and a dataset is removed.
    spec = yaml.safe_load(course.path.read_text(encoding="utf-8"))
    spec["lessons"] = spec["lessons"][:1]
    course.path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    shutil.rmtree(root / "data" / "timeline")
    publish_student_repo(exports, load_course(course.path), out)

    assert not (out / "notebooks" / "02-beta.ipynb").exists()
    assert not (out / "data" / "timeline").exists()
    assert (out / "notebooks" / "01-alpha.ipynb").read_bytes() == (
        exports / "01-alpha" / "community" / "student.ipynb"
    ).read_bytes()
    assert (out / ".git" / "HEAD").is_file()
    assert (out / "NOTES.md").read_text(encoding="utf-8") == "facilitator's own notes\n"
    assert (out / "notebooks" / "extra-reading.ipynb").is_file()

    # A README the facilitator wrote themselves is theirs.
    (out / "README.md").write_text("# Our circle\n", encoding="utf-8")
    publish_student_repo(exports, load_course(course.path), out)
    assert (out / "README.md").read_text(encoding="utf-8") == "# Our circle\n"


def test_missing_export_is_a_clear_error_and_writes_nothing(project, tmp_path):
    root, exports = project
    course = load_course(root / "notebooks" / "course.yaml")
    missing = exports / "02-beta" / "community" / "student.ipynb"
    missing.unlink()
    out = tmp_path / "circle"
    with pytest.raises(PublishError) as err:
        publish_student_repo(exports, course, out)
    assert str(missing) in str(err.value) and "solidarity-edu build" in str(err.value)
    assert not out.exists()

    with pytest.raises(PublishError, match="high-school, community"):
        publish_student_repo(exports, course, out, audience="college")


def test_refuses_a_student_notebook_with_teacher_only_cells(project, tmp_path):
    root, exports = project
    course = load_course(root / "notebooks" / "course.yaml")
    student = exports / "01-alpha" / "community" / "student.ipynb"
    nb = nbformat.read(student, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("model answer", metadata={"tags": ["answer-key"]}))
    nbformat.write(nb, student)
    with pytest.raises(PublishError, match=r"answer-key.*not for students"):
        publish_student_repo(exports, course, tmp_path / "circle")


def test_refuses_a_student_notebook_whose_prompt_lost_its_data(project, tmp_path):
    root, exports = project
    course = load_course(root / "notebooks" / "course.yaml")
    student = exports / "01-alpha" / "community" / "student.ipynb"
    nb = nbformat.read(student, as_version=4)
    prompt = next(c for c in nb.cells if "prompt" in c.metadata.get("tags", []))
    del prompt.metadata["solidarity_edu"]
    nbformat.write(nb, student)
    with pytest.raises(PublishError, match=r"prompt '01-fixture-question': no 'prompt-data' cell"):
        publish_student_repo(exports, course, tmp_path / "circle")


def test_cli_publish_student(project, tmp_path, capsys):
    root, exports = project
    course = root / "notebooks" / "course.yaml"
    base = ["--course", str(course), "--data", str(root / "data"), "publish-student"]
    out = tmp_path / "circle"
    assert main([*base, "--out", str(out), "--exports", str(exports), "--audience", "high-school"]) == 0
    nb = nbformat.read(out / "notebooks" / "01-alpha.ipynb", as_version=4)
    assert nb.metadata["solidarity_edu"]["audience"] == "high-school"
    capsys.readouterr()

    assert main([*base, "--out", str(out), "--exports", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "solidarity-edu build" in err[0] and "Traceback" not in err[0]


def _set_markdown(path: Path, old: str, new: str) -> None:
    nb = nbformat.read(path, as_version=4)
    cells = [cell for cell in nb.cells if cell.cell_type == "markdown" and old in cell.source]
    assert cells, f"no markdown cell with {old!r} in {path}"
    cells[0].source = cells[0].source.replace(old, new)
    nbformat.write(nb, path)


def test_repull_brings_updates_and_keeps_answers_and_local_edits(project, tmp_path, monkeypatch):
    root, exports = project
    course = load_course(root / "notebooks" / "course.yaml")

    # The facilitator publishes the student repository and pushes it.
    out = tmp_path / "circle-notebooks"
    publish_student_repo(exports, course, out)
    remote = tmp_path / "remote" / "circle-notebooks.git"
    remote.parent.mkdir()
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    git(out, "init", "-q", "-b", "main")
    git(out, "add", "-A")
    git(out, "commit", "-q", "-m", "Publish the circle's notebooks")
    git(out, "remote", "add", "origin", remote.as_uri())
    git(out, "push", "-q", "origin", "main")

    # The participant clicks the link: nbgitpuller clones into targetpath and opens urlpath.
    link = nbgitpuller_link("https://hub.example.org", remote.as_uri(), "01-alpha.ipynb")
    query = {key: values[0] for key, values in parse_qs(urlsplit(link).query).items()}
    home = tmp_path / "ana"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    clone = home / query["targetpath"]
    pull(query["repo"], clone, query["branch"])
    opened = home / unquote(query["urlpath"]).removeprefix("lab/tree/")
    assert opened == clone / "notebooks" / "01-alpha.ipynb"
    assert opened.read_bytes() == (out / "notebooks" / "01-alpha.ipynb").read_bytes()

    # Ana answers a prompt (saved in her journal, outside the repository) and edits lesson 01.
    journal = Journal()
    assert journal.path == home / ".local" / "share" / "solidarity-edu" / "journal.sqlite3"
    journal.save("01-fixture-question", ANSWER, question="What is the fixture question 01?")
    assert not journal.path.is_relative_to(clone)
    _set_markdown(clone / "notebooks" / "01-alpha.ipynb", "Body text for everyone.", LOCAL_NOTE)

    # The facilitator corrects lesson 02, publishes again into the same folder (its .git stays), pushes.
    _set_markdown(exports / "02-beta" / "community" / "student.ipynb", "Body text for everyone.", UPDATE)
    publish_student_repo(exports, course, out)
    git(out, "add", "-A")
    assert git(out, "status", "--porcelain").strip() == "M  notebooks/02-beta.ipynb"
    git(out, "commit", "-q", "-m", "Correct lesson 02")
    git(out, "push", "-q", "origin", "main")

    # Ana clicks the link again.
    pull(query["repo"], clone, query["branch"])
    assert UPDATE in (clone / "notebooks" / "02-beta.ipynb").read_text(encoding="utf-8")
    assert (clone / "notebooks" / "02-beta.ipynb").read_bytes() == (out / "notebooks" / "02-beta.ipynb").read_bytes()
    mine = (clone / "notebooks" / "01-alpha.ipynb").read_text(encoding="utf-8")
    assert LOCAL_NOTE in mine  # nbgitpuller keeps local changes (its "automatic merging" rules)
    nbformat.validate(nbformat.reads(mine, as_version=4))
    latest = Journal().latest("01-fixture-question")
    assert latest is not None and latest.value == ANSWER
    assert not any(ANSWER.encode() in p.read_bytes() for p in clone.rglob("*") if p.is_file() and ".git" not in p.parts)

    # To start a lesson over, Ana deletes it and clicks the link: a fresh copy, her journal untouched.
    (clone / "notebooks" / "01-alpha.ipynb").unlink()
    pull(query["repo"], clone, query["branch"])
    assert (clone / "notebooks" / "01-alpha.ipynb").read_bytes() == (out / "notebooks" / "01-alpha.ipynb").read_bytes()
    assert Journal().latest("01-fixture-question").value == ANSWER
    manifest = json.loads((clone / ".solidarity-edu-published.json").read_text(encoding="utf-8"))
    assert manifest["audience"] == "community"
