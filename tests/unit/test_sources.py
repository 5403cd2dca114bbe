"""The source-quality list: how a URL's host is rated, and the errors a broken list gives."""

from __future__ import annotations

import pytest

from solidarity_edu.errors import DatasetError
from solidarity_edu.sources import host_of, is_weak, rate, read_host_list


def _lists(tmp_path, **files: str):
    for name, text in files.items():
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_host_without_www_port_or_case():
    assert host_of("https://WWW.NPS.gov:443/manz/index.htm") == "nps.gov"
    assert host_of(" http://encyclopedia.densho.org/Minidoka/ ") == "encyclopedia.densho.org"


def test_a_listed_host_covers_its_subdomains_and_the_longest_name_wins(tmp_path):
    hosts = read_host_list(
        _lists(
            tmp_path,
            a="hosts:\n  pbs.org: {class: press, reason: public broadcaster}\n"
            '  staging.pbs.org: {class: weak, reason: "a staging server, not the published site"}\n',
        )
    )
    assert rate("https://www.pbs.org/independentlens/", hosts).cls == "press"
    assert rate("https://video.pbs.org/x", hosts).cls == "press"
    assert is_weak("https://staging.pbs.org/independentlens/", hosts)
    assert rate("https://notpbs.org/", hosts) is None
    assert rate("https://example.org/", hosts) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hosts:\n  a.org: {class: blog, reason: x}\n", "unknown class 'blog'"),
        ("hosts:\n  a.org: {class: press}\n", "say in one line why it is press"),
        ("hosts:\n  a.org: {class: press, reason: x, note: y}\n", "give exactly 'class' and 'reason'"),
        ("sites:\n  a.org: {class: press, reason: x}\n", "expected one key, 'hosts:'"),
    ],
)
def test_a_broken_entry_names_file_host_and_fix(tmp_path, text, message):
    with pytest.raises(DatasetError) as caught:
        read_host_list(_lists(tmp_path, broken=text))
    assert message in str(caught.value) and "broken.yaml" in str(caught.value)


def test_one_host_two_classes_is_refused(tmp_path):
    folder = _lists(
        tmp_path,
        datasets="hosts:\n  docslib.org: {class: weak, reason: document dump}\n",
        lessons="hosts:\n  docslib.org: {class: scholarly, reason: papers}\n",
    )
    with pytest.raises(DatasetError, match=r"listed as scholarly here and as weak in .*datasets.yaml"):
        read_host_list(folder)


def test_no_list_at_all_is_an_error(tmp_path):
    with pytest.raises(DatasetError, match="no source-quality list"):
        read_host_list(tmp_path)


def test_citations_counted_by_class_and_tabled_with_a_total(tmp_path):
    from solidarity_edu.sources import COUNT_COLUMNS, citation_table, count_by_class

    hosts = read_host_list(
        _lists(
            tmp_path,
            a="hosts:\n  nps.gov: {class: government, reason: park service}\n"
            "  docslib.org: {class: weak, reason: document dump}\n",
        )
    )
    urls = ["https://www.nps.gov/a", "https://nps.gov/b", "https://docslib.org/c", "https://example.org/d"]
    counts = count_by_class(urls, hosts)
    assert tuple(counts) == COUNT_COLUMNS and sum(counts.values()) == 4
    assert (counts["government"], counts["weak"], counts["unlisted"]) == (2, 1, 1)
    table = citation_table({"lesson 01": counts, "lesson 02": count_by_class(urls[:1], hosts)}, label="lesson")
    lines = table.splitlines()
    assert lines[0].startswith("| lesson | government |") and "| unlisted |" in lines[0]
    assert lines[2].startswith("| lesson 01 | 2 |") and lines[2].endswith("| 4 | 25% |")
    assert lines[-1].startswith("| **total** | 3 |") and lines[-1].endswith("| 5 | 20% |")
    assert "unlisted" not in citation_table({"x": count_by_class(urls[:2], hosts)})
