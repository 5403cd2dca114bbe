"""A lesson's first cell hands out stand-ins: nothing heavy loads until a helper is used."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from jupyter_client.manager import start_new_kernel


def _python(code: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_star_import_loads_no_chart_library_and_the_helpers_still_work():
    seen = _python(
        """
        import inspect, json, sys
        from solidarity_edu import *
        before = {m: m in sys.modules for m in ("altair", "pandas", "ipywidgets", "solidarity_edu.charts")}
        stand_in = repr(course_map)
        journal_is_class = isinstance(Journal, type)
        signature, doc = str(inspect.signature(course_map)), course_map.__doc__
        from solidarity_edu import charts
        real = charts.course_map
        spec = course_map("community").to_dict()
        import solidarity_edu
        print(json.dumps({
            "before": before, "stand_in": stand_in, "journal_is_class": journal_is_class,
            "same_signature": signature == str(inspect.signature(real)), "same_doc": doc == real.__doc__,
            "chart_mark": str(spec.get("mark") or spec.get("layer") or spec.get("vconcat") or spec.get("hconcat"))[:40],
            "attribute_is_real": solidarity_edu.course_map is real,
        }))
        """
    )
    assert seen["before"] == {"altair": False, "pandas": False, "ipywidgets": False, "solidarity_edu.charts": False}
    assert seen["stand_in"] == "<solidarity_edu helper course_map>"
    assert seen["journal_is_class"] and seen["same_signature"] and seen["same_doc"]
    assert seen["chart_mark"] not in ("", "None")
    assert seen["attribute_is_real"]


def test_a_wrong_name_still_says_so():
    seen = _python(
        """
        import json, solidarity_edu
        try:
            solidarity_edu.no_such_helper
        except AttributeError as err:
            print(json.dumps({"error": str(err)}))
        """
    )
    assert "no_such_helper" in seen["error"]


def test_in_a_kernel_the_helpers_modules_load_in_the_background(tmp_path):
    """The kernel imports the charts while the student reads; we wait for that thread, not the clock."""
    km, kc = start_new_kernel(kernel_name="python3", cwd=str(tmp_path))
    try:

        def run(code: str) -> str:
            out: list[str] = []

            def hook(msg: dict) -> None:
                if msg["msg_type"] == "stream":
                    out.append(msg["content"]["text"])

            reply = kc.execute_interactive(code, timeout=300, output_hook=hook)
            assert reply["content"]["status"] == "ok", reply["content"]
            return "".join(out)

        run("from solidarity_edu import *")
        loaded = run(
            "import sys\n"
            "from solidarity_edu import first_use\n"
            "first_use._warming.join(240)\n"
            "print(not first_use._warming.is_alive(), 'altair' in sys.modules, 'solidarity_edu.exercises' in sys.modules)"
        )
        assert loaded.split() == ["True", "True", "True"]
        assert "Chart" in run("print(type(timeline(era='exclusion')).__name__)")
    finally:
        km.shutdown_kernel(now=True)
        kc.stop_channels()


def test_a_module_still_being_imported_by_the_warm_up_does_not_count_as_loaded(tmp_path, monkeypatch):
    """Else the first cell would wait for the warm-up thread's import to finish."""
    import threading

    from solidarity_edu.first_use import is_loaded

    (tmp_path / "slow_to_import_qxzw.py").write_text(
        "import builtins\nbuiltins._qxzw_started.set()\nbuiltins._qxzw_release.wait(120)\n"
    )
    import builtins

    monkeypatch.syspath_prepend(str(tmp_path))
    started, release = threading.Event(), threading.Event()
    monkeypatch.setattr(builtins, "_qxzw_started", started, raising=False)
    monkeypatch.setattr(builtins, "_qxzw_release", release, raising=False)
    importer = threading.Thread(target=__import__, args=("slow_to_import_qxzw",))
    importer.start()
    try:
        assert started.wait(120)
        assert "slow_to_import_qxzw" in sys.modules
        assert not is_loaded("slow_to_import_qxzw")
    finally:
        release.set()
        importer.join(120)
    assert is_loaded("slow_to_import_qxzw")
    assert not is_loaded("never_imported_qxzw")
