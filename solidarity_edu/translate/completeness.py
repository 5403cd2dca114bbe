"""Is a language that course.yaml calls complete really complete?

For every language marked ``complete: true`` (English aside): each catalog of the course exists, every
string the course has today (extracted fresh from the notebooks, data, course.yaml and the package) has
a checked translation (not missing, not fuzzy), and every translation passes the string checks
(:mod:`.checks`). Used by ``solidarity-edu lint`` (so ``make lint`` and the tests fail on it) and by
``translate status``'s reader, who wants to know what is left.
"""

from __future__ import annotations

from pathlib import Path

from ..course import Course
from ..lesson import Problem
from .catalogs import catalog_dir, course_units, read_catalog
from .checks import catalog_problems, language_terms
from .units import TranslationError


def completeness_problems(course: Course, data_dir: Path = Path("data")) -> list[Problem]:
    """One problem per catalog of a complete language that is missing, behind, fuzzy or failing a check."""
    complete = [lang for lang in course.languages if lang.complete and not lang.is_source]
    if not complete:
        return []
    domains = course_units(course, data_dir)
    problems: list[Problem] = []
    for language in complete:
        folder = catalog_dir(course.locale, language.tag)
        terms = language_terms(course.locale, folder.parent.name)
        fix = (
            f"run `solidarity-edu translate update --language {language.tag}` and translate them, or set "
            f"complete: false for {language.tag} in course.yaml until they are"
        )
        for domain, units in domains.items():
            path = folder / f"{domain}.po"
            if not path.is_file():
                problems.append(Problem(path, None, f"{language.tag} is declared complete but has no catalog; {fix}"))
                continue
            try:
                po = read_catalog(path)
            except TranslationError as err:
                problems.append(Problem(path, None, str(err)))
                continue
            done = {(e.msgctxt, e.msgid) for e in po if e.msgstr and not e.obsolete and "fuzzy" not in e.flags}
            left = [u for u in units if (u.context, u.source) not in done]
            if left:
                first = left[0]
                problems.append(
                    Problem(
                        path,
                        None,
                        f"{language.tag} is declared complete, but {len(left)} string(s) have no checked translation "
                        f"(first: {first.context or ''} {first.source[:60]!r}); {fix}",
                    )
                )
            problems += [Problem(path, None, p.removeprefix(f"{path}:")) for p in catalog_problems(path, terms)]
    return problems
