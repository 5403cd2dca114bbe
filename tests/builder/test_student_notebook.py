"""The student notebook's first cell: the helpers' import, or one sentence on how to install them."""

from __future__ import annotations

import nbformat
from nbclient import NotebookClient

from solidarity_edu.builder.student_import import GUARDED_IMPORT, MISSING_MESSAGE


def _run(*sources: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True).execute()
    return nb


def test_the_student_copy_guards_the_import(fixture_build):
    _, exports, _ = fixture_build
    student = nbformat.read(exports / "01-alpha" / "high-school" / "student.ipynb", as_version=4)
    imports = [c for c in student.cells if c.cell_type == "code" and "from solidarity_edu import *" in c.source]
    assert [c.source for c in imports] == [GUARDED_IMPORT]
    assert imports[0].metadata["jupyter"]["source_hidden"] is True


def test_without_the_package_the_cell_says_how_to_install_it_in_one_sentence():
    # a real kernel in which importing solidarity_edu fails as it does where it is not installed
    nb = _run("import sys\nsys.modules['solidarity_edu'] = None", GUARDED_IMPORT)
    error = nb.cells[1].outputs[0]
    assert error.output_type == "error"
    assert error.traceback == [MISSING_MESSAGE]
    assert "pip install" in MISSING_MESSAGE and MISSING_MESSAGE.count(". ") == 0
    assert error.ename == "SolidarityEduMissing"


def test_with_the_package_the_cell_imports_the_helpers():
    nb = _run(GUARDED_IMPORT, "print(callable(reflect))")
    assert nb.cells[0].outputs == []
    assert nb.cells[1].outputs[0].text.strip() == "True"
