"""The solidarity-edu command: build, lint, lab, data check, translate."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from .builder.jobs import BASE_MB, MB_PER_JOB, default_jobs
from .errors import SolidarityEduError

log = logging.getLogger("solidarity_edu")


def _report(problems: list, all_good: str) -> int:
    """Print each problem on its own line (exit code 1), or say ``all_good`` (exit code 0)."""
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        return 1
    log.info(all_good)
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    from .builder.runner import build

    report = build(
        course_path=args.course,
        exports=args.exports,
        data_dir=args.data,
        lessons=args.lesson or None,
        audiences=args.audience or None,
        force=args.force,
        workers=args.jobs,
        pdf=not args.no_pdf,
        fresh_kernels=args.fresh_kernels,
        cell_timeout=args.cell_timeout,
        paper=args.paper,
        languages=args.language or None,
    )
    if args.timings is not None:
        args.timings.write_text(json.dumps(report.timings, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    log.info(
        "built %d, up to date %d, failed %d in %.1f s -> %s",
        len(report.built),
        len(report.skipped),
        len(report.failed),
        report.seconds,
        args.exports / "index.html",
    )
    for message in report.failed.values():
        print(f"error: {message}", file=sys.stderr)
    return 0 if report.ok else 1


def _cmd_screenshots(args: argparse.Namespace) -> int:
    from .builder.index import index_html
    from .builder.screenshots import take_index_top, take_screenshots
    from .course import load_course

    course = load_course(args.course)
    written = take_screenshots(args.exports, course, args.audience)
    index = args.exports / "index.html"
    index.write_text(index_html(course, args.exports), encoding="utf-8")
    written.append(take_index_top(args.exports))
    log.info("wrote %d screenshots to %s; thumbnails in %s", len(written), args.exports / "screenshots", index)
    return 0


def _cmd_lint(args: argparse.Namespace) -> int:
    from .course import load_course
    from .lint import lint_course, lint_lesson

    course = load_course(args.course)
    if args.notebooks:
        seen: dict[str, str] = {}
        problems = [p for path in args.notebooks for p in lint_lesson(path, course, seen)]
    else:
        problems = lint_course(course)
    return _report(problems, "all lessons follow the conventions")


def _cmd_lab(args: argparse.Namespace) -> int:
    folder = args.course.parent if args.course.suffix else args.course
    cmd = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}", *args.lab_args]
    if args.circle:
        from .circle import LOCAL_ENV

        os.environ[LOCAL_ENV] = "local"  # the lessons' kernels inherit it: a "Share with my circle" box appears
    os.execv(sys.executable, cmd)
    return 0  # pragma: no cover


def _cmd_circle_summary(args: argparse.Namespace) -> int:
    from .circle.catalogue import Catalogue
    from .circle.store import CircleStore
    from .circle.summary import summarize, summary_html

    store = CircleStore(args.database)
    catalogue = Catalogue.load(args.prompts)
    title = f"What the circle shared: lesson {args.lesson}" if args.lesson else "What the circle shared"
    records = store.records(args.lesson, catalogue)
    summaries = summarize(records.shares, min_shares=args.min_shares, catalogue=catalogue)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    page = summary_html(summaries, title, min_shares=args.min_shares, unreadable=records.unreadable)
    args.out.write_text(page, encoding="utf-8")
    shared = sum(item["count"] for item in summaries)
    log.info("%d shared answers across %d prompts -> %s", shared, len(summaries), args.out)
    return 0


def _cmd_circle_manifest(args: argparse.Namespace) -> int:
    import json

    from .course import load_course
    from .lesson import prompt_manifest

    manifest = prompt_manifest(load_course(args.course))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    log.info(
        "%d prompts -> %s (give it to the circle service: SOLIDARITY_EDU_CIRCLE_PROMPTS)",
        len(manifest["prompts"]),
        args.out,
    )
    return 0


def _cmd_present(args: argparse.Namespace) -> int:
    from .present import find_lesson, present

    lesson = find_lesson(args.lesson, args.course, args.audience, args.language)
    return present(lesson, port=args.port, open_browser=not args.no_browser)


def _cmd_data_check(args: argparse.Namespace) -> int:
    from .data import check_all

    problems = check_all(args.data)
    return _report(problems, "every dataset matches its meta.yaml and cites only listed, acceptable hosts")


def _cmd_data_tables(args: argparse.Namespace) -> int:
    from .citations import readme_target
    from .course import load_course
    from .data import block, citation_counts_table, generated_tables, replace_block
    from .sources import read_host_list

    data_dir = Path(args.data)
    lessons = readme_target(load_course(args.course), data_dir, read_host_list(data_dir / "source-hosts"))
    targets = [*generated_tables(data_dir), lessons]
    if args.write:
        for path, start, end, body in targets:
            text = path.read_text(encoding="utf-8")
            updated = replace_block(text, start, end, body, str(path))
            if updated != text:
                path.write_text(updated, encoding="utf-8")
                log.info("rewrote %s (%s)", path, start[5:40])
        return 0
    stale = [
        (path, start)
        for path, start, end, body in targets
        if block(path.read_text(encoding="utf-8"), start, end) != body
    ]
    for path, marker in stale:
        print(f"{path}: the table after {marker[:40]}... is out of date; run 'solidarity-edu data tables --write'")
    if not stale:
        print(citation_counts_table(data_dir), end="")
        print(lessons[3], end="")
    return 1 if stale else 0


def _cmd_journal_export(args: argparse.Namespace) -> int:
    from .journal import Journal
    from .journal_export import export

    journal = Journal(args.journal) if args.journal else Journal()
    output = args.output or Path(f"my-journal.{args.format}")
    export(journal, args.format, output)
    log.info("wrote your journal to %s", output)
    return 0


def _cmd_journal_delete(args: argparse.Namespace) -> int:
    from .journal import Journal

    journal = Journal(args.journal) if args.journal else Journal()
    if not journal.exists():
        log.info("there is no journal at %s: nothing to delete", journal.path)
        return 0
    if not args.yes:
        print(f"This deletes every answer in {journal.path}. It cannot be undone.", file=sys.stderr)
        print("Export it first with: solidarity-edu journal export --format md", file=sys.stderr)
        try:
            reply = input("Type DELETE to delete your journal: ")
        except EOFError:
            reply = ""
        if reply.strip() != "DELETE":
            print("Not deleted.", file=sys.stderr)
            return 1
    for path in journal.delete():
        log.info("deleted %s", path)
    return 0


def _cmd_link(args: argparse.Namespace) -> int:
    from .course import load_course
    from .link import STUDENT_REPO_ENV, LinkError, lesson_link

    repo = args.repo or os.environ.get(STUDENT_REPO_ENV, "")
    if not repo:
        raise LinkError(
            "which repository should participants pull? Pass --repo with the git URL of your published "
            f"student repository (see `solidarity-edu publish-student`), or set {STUDENT_REPO_ENV}"
        )
    course = load_course(args.course)
    print(lesson_link(course, args.lesson, args.hub, repo, branch=args.branch, target=args.target))
    return 0


def _cmd_publish_student(args: argparse.Namespace) -> int:
    from .course import load_course
    from .publish import publish_student_repo

    course = load_course(args.course)
    written = publish_student_repo(args.exports, course, args.out, audience=args.audience, data_dir=args.data)
    log.info(
        "wrote %d files for participants (%s) to %s; commit and push it, then share `solidarity-edu link`",
        len(written),
        args.audience,
        args.out,
    )
    return 0


def _cmd_translate_extract(args: argparse.Namespace) -> int:
    from .course import load_course
    from .translate.catalogs import extract

    written = extract(load_course(args.course), args.data, args.locale)
    log.info("wrote %d templates to %s", len(written), args.locale / "templates")
    return 0


def _cmd_translate_update(args: argparse.Namespace) -> int:
    from .translate.catalogs import update

    for language in args.language:
        written = update(args.locale, language)
        log.info("%s: %d catalogs up to date in %s", language, len(written), written[0].parent)
    return 0


def _cmd_translate_status(args: argparse.Namespace) -> int:
    from .translate.catalogs import status

    rows = status(args.locale, args.language)
    if not rows:
        print(f"no catalogs in {args.locale}; start one with `solidarity-edu translate update --language vi`")
        return 0
    print(f"{'language':<9} {'catalog':<26} {'translated':>10} {'fuzzy':>6} {'untranslated':>12} {'done':>6}")
    for row in rows:
        print(
            f"{row.language:<9} {row.domain:<26} {row.translated:>10} {row.fuzzy:>6} {row.untranslated:>12} "
            f"{row.percent:>5.1f}%"
        )
    return 0


def _cmd_translate_check(args: argparse.Namespace) -> int:
    from .translate.catalogs import catalog_dir, languages
    from .translate.checks import catalog_problems, language_terms

    wanted = [args.language] if args.language else languages(args.locale)
    problems = []
    for language in wanted:
        folder = catalog_dir(args.locale, language)
        terms = language_terms(args.locale, folder.parent.name)
        for path in sorted(folder.glob("*.po")):
            problems.extend(catalog_problems(path, terms))
    return _report(problems, "every translated string keeps its numbers, links, marks, agreed terms and people's names")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="solidarity-edu", description=__doc__)
    p.add_argument("--course", type=Path, default=Path("notebooks/course.yaml"), help="course.yaml to use")
    p.add_argument("--data", type=Path, default=Path("data"), help="the data/ folder")
    p.add_argument("-q", "--quiet", action="store_true", help="only print errors")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="execute the lessons and write every export into exports/")
    b.add_argument("--exports", type=Path, default=Path("exports"))
    b.add_argument("--lesson", action="append", help="only this lesson id (repeatable)")
    b.add_argument("--audience", action="append", help="only this audience (repeatable)")
    b.add_argument(
        "--language",
        action="append",
        help="only this language, e.g. vi or zh-Hant (repeatable; default: every language in course.yaml; "
        "English goes to exports/, the others to exports/<tag>/)",
    )
    b.add_argument("--force", action="store_true", help="re-run every lesson even if nothing changed")
    b.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="lessons run at once (default: one per core, no more than fit in free memory at "
        f"{MB_PER_JOB} MB each after {BASE_MB} MB for the build and Chromium: {default_jobs()} on this machine now)",
    )
    b.add_argument(
        "--cell-timeout",
        type=int,
        default=None,
        metavar="SECONDS",
        help="longest one cell may run before the build stops that lesson (default: 300)",
    )
    b.add_argument(
        "--timings", type=Path, default=None, metavar="FILE", help="write seconds per output and stage as JSON"
    )
    b.add_argument("--no-pdf", action="store_true", help="skip printing PDFs")
    b.add_argument(
        "--fresh-kernels",
        action="store_true",
        help="start a new kernel for every lesson (default: each build thread reuses one, reset between lessons)",
    )
    b.add_argument(
        "--paper",
        choices=["letter", "a4"],
        default="letter",
        help="page size of the printed handouts, readers and guides (default: letter)",
    )
    b.set_defaults(func=_cmd_build)

    shots = sub.add_parser("screenshots", help="PNGs of each lesson's first slide and PDF pages, shown in index.html")
    shots.add_argument("--exports", type=Path, default=Path("exports"))
    shots.add_argument("--audience", default=None, help="only this audience's pictures (default: every audience)")
    shots.set_defaults(func=_cmd_screenshots)

    lint = sub.add_parser("lint", help="check every lesson against the tag contract and conventions")
    lint.add_argument("notebooks", nargs="*", type=Path, help="only these notebooks (default: every lesson)")
    lint.set_defaults(func=_cmd_lint)

    lab = sub.add_parser("lab", help="open JupyterLab on the lessons")
    lab.add_argument(
        "--circle", action="store_true", help="offer 'Share with my circle' using a circle store on this computer"
    )
    lab.add_argument("lab_args", nargs=argparse.REMAINDER, help="extra arguments for jupyter lab")
    lab.set_defaults(func=_cmd_lab)

    show = sub.add_parser("present", help="show one lesson to students with Voilà: no code, live activities")
    show.add_argument("lesson", help="a lesson id from course.yaml (e.g. 07-defining-solidarity) or a notebook path")
    show.add_argument("--port", type=int, default=None, help="port on 127.0.0.1 (default: 8866, or a free one)")
    show.add_argument("--audience", default=None, help="which version of the lesson (default: its first audience)")
    show.add_argument(
        "--language",
        default=None,
        help="the learner's language, a tag with catalogs in locale/ (e.g. vi, zh-Hant; default: en)",
    )
    show.add_argument("--no-browser", action="store_true", help="only print the address; do not open a browser")
    show.set_defaults(func=_cmd_present)

    journal = sub.add_parser("journal", help="your private journal of answers")
    journal.add_argument(
        "--journal",
        type=Path,
        default=None,
        help="journal file (default: $SOLIDARITY_EDU_JOURNAL or ~/.local/share/solidarity-edu/)",
    )
    journal_sub = journal.add_subparsers(dest="journal_command", required=True)
    exp = journal_sub.add_parser("export", help="write your answers to a file you keep")
    exp.add_argument("--format", choices=["md", "html", "pdf"], default="md")
    exp.add_argument("--output", type=Path, default=None, help="file to write (default: my-journal.FORMAT)")
    exp.set_defaults(func=_cmd_journal_export)
    delete = journal_sub.add_parser("delete", help="delete your journal (asks first)")
    delete.add_argument("--yes", action="store_true", help="do not ask")
    delete.set_defaults(func=_cmd_journal_delete)

    join = sub.add_parser(
        "link", help="print the nbgitpuller link that opens one lesson for participants on a JupyterHub"
    )
    join.add_argument("--hub", required=True, help="the JupyterHub's address, e.g. https://hub.example.org")
    join.add_argument("--lesson", required=True, help="a lesson id from course.yaml, e.g. 07-defining-solidarity")
    join.add_argument(
        "--repo",
        default=None,
        help="git URL of the published student repository (default: $SOLIDARITY_EDU_STUDENT_REPO)",
    )
    join.add_argument("--branch", default="main", help="branch of the student repository (default: main)")
    join.add_argument(
        "--target", default=None, help="folder in each participant's home (default: the repository's name)"
    )
    join.set_defaults(func=_cmd_link)

    pub = sub.add_parser(
        "publish-student", help="write the student notebooks and data as a folder for a git repository"
    )
    pub.add_argument("--out", type=Path, required=True, help="the folder of the student repository")
    pub.add_argument("--exports", type=Path, default=Path("exports"), help="the built exports (default: exports)")
    pub.add_argument("--audience", default="community", help="which version of the lessons (default: community)")
    pub.set_defaults(func=_cmd_publish_student)

    circle = sub.add_parser("circle", help="study circles: what participants chose to share, without names")
    circle_sub = circle.add_subparsers(dest="circle_command", required=True)
    summ = circle_sub.add_parser("summary", help="write the circle's anonymous summary as a page to project")
    summ.add_argument("--lesson", default=None, help="only this lesson's prompts, by number (e.g. 07)")
    summ.add_argument("--out", type=Path, default=Path("circle-summary.html"), help="where to write the page")
    summ.add_argument(
        "--database", default=None, help="circle store URL (default: $SOLIDARITY_EDU_CIRCLE_DATABASE_URL or local)"
    )
    summ.add_argument(
        "--min-shares", type=int, default=3, help="show a prompt once this many people have shared on it (default 3)"
    )
    summ.add_argument(
        "--prompts",
        default=None,
        help="prompt manifest (default: $SOLIDARITY_EDU_CIRCLE_PROMPTS or the packaged course)",
    )
    summ.set_defaults(func=_cmd_circle_summary)
    man = circle_sub.add_parser("manifest", help="write the course's prompts as the circle service reads them")
    man.add_argument("--course", type=Path, default=Path("notebooks/course.yaml"), help="course.yaml to use")
    man.add_argument("--out", type=Path, default=Path("circle-prompts.json"), help="where to write the manifest")
    man.set_defaults(func=_cmd_circle_manifest)

    data = sub.add_parser("data", help="datasets")
    data_sub = data.add_subparsers(dest="data_command", required=True)
    check = data_sub.add_parser("check", help="validate every dataset against its meta.yaml")
    check.set_defaults(func=_cmd_data_check)
    tables = data_sub.add_parser(
        "tables", help="check (or --write) the generated tables: citations by class, each dataset's sources"
    )
    tables.add_argument("--write", action="store_true", help="rewrite the tables in the READMEs")
    tables.set_defaults(func=_cmd_data_tables)

    tr = sub.add_parser("translate", help="catalogs for translating the course (PO files for Poedit or Weblate)")
    tr.add_argument("--locale", type=Path, default=Path("locale"), help="the locale/ folder")
    tr_sub = tr.add_subparsers(dest="translate_command", required=True)
    ext = tr_sub.add_parser("extract", help="write locale/templates/*.pot from the lessons and datasets")
    ext.set_defaults(func=_cmd_translate_extract)
    upd = tr_sub.add_parser("update", help="make or refresh one language's catalogs from the templates")
    upd.add_argument("--language", action="append", required=True, help="language tag, e.g. vi or zh-Hant (repeatable)")
    upd.set_defaults(func=_cmd_translate_update)
    st = tr_sub.add_parser("status", help="translated, fuzzy and untranslated counts per catalog")
    st.add_argument("--language", help="only this language (default: every language in locale/)")
    st.set_defaults(func=_cmd_translate_status)
    chk = tr_sub.add_parser("check", help="check every translated string (numbers, links, marks, agreed terms)")
    chk.add_argument("--language", help="only this language (default: every language in locale/)")
    chk.set_defaults(func=_cmd_translate_check)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.ERROR if args.quiet else logging.INFO, format="%(message)s", stream=sys.stderr)
    logging.getLogger("papermill").setLevel(logging.WARNING)
    logging.getLogger("traitlets").setLevel(logging.ERROR)
    try:
        return args.func(args)
    except SolidarityEduError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
