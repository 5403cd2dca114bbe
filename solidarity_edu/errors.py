"""One family of errors. Every message says what went wrong, where (file, row, cell), and how to fix it."""

from __future__ import annotations


class SolidarityEduError(Exception):
    """Base class: catch this to catch every error the package raises on purpose."""


class CourseError(SolidarityEduError):
    """notebooks/course.yaml is missing, malformed, or names something that does not exist."""


class NotebookError(SolidarityEduError):
    """A lesson notebook cannot be read or breaks the lesson conventions."""


class AuthoringError(SolidarityEduError, ValueError):
    """A helper was called the wrong way in a lesson (a bad prompt, a chart without a description).

    Also a ValueError, so code that caught ValueError before keeps working."""


class PromptError(AuthoringError):
    """A prompt's data is missing or wrong: no question, an answer that names no option, a bad id."""


class ChartError(AuthoringError):
    """A chart cannot be drawn as asked (no description, no data for the groups named)."""


class DatasetError(SolidarityEduError):
    """A dataset in data/ does not match its meta.yaml (bad row, bad column, missing source)."""


class BuildError(SolidarityEduError):
    """The build could not produce an output."""


class LessonExecutionError(BuildError):
    """A cell of a lesson failed while the build executed it.

    Carries the lesson id, audience, 1-based cell number (counted in the source notebook, as a teacher
    sees it in JupyterLab), the error name and message, and the line of the cell that failed.
    """

    def __init__(
        self,
        lesson: str,
        audience: str,
        cell: int | None,
        ename: str,
        evalue: str,
        line: str | None = None,
    ) -> None:
        self.lesson, self.audience, self.cell = lesson, audience, cell
        self.ename, self.evalue, self.line = ename, evalue, line
        if cell is not None:
            text = f"{lesson} ({audience}): cell {cell} failed: {ename}: {evalue}"
        else:  # nothing ran: a missing kernel, an unreadable notebook
            text = f"{lesson} ({audience}): could not run: {ename}: {evalue}"
        if line:
            text += f" [at: {line}]"
        super().__init__(text)


class KernelStartError(BuildError):
    """No kernel would start for a lesson, after every attempt the build makes."""

    def __init__(self, lesson: str, audience: str, attempts: int, reason: str, kernel_name: str = "python3") -> None:
        self.lesson, self.audience, self.attempts, self.reason = lesson, audience, attempts, reason
        super().__init__(
            f"{lesson} ({audience}): the {kernel_name!r} kernel did not start after {attempts} attempts "
            f"(last: {reason}); check 'jupyter kernelspec list' and free memory, then build again"
        )


class JournalError(SolidarityEduError):
    """The private journal of answers could not be read or written."""


class LinkError(SolidarityEduError):
    """A join link cannot be made from what was given (hub address, repository, lesson)."""


class PublishError(SolidarityEduError):
    """The student repository cannot be written (missing or unsafe exports, bad audience)."""


class CircleError(SolidarityEduError):
    """A share with the study circle could not be made, withdrawn or read (the journal is never affected)."""


class ShareRejected(CircleError):
    """A share failed validation. ``field`` names the part of the share that is wrong."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(f"{field}: {message}")
