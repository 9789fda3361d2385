"""Report names: the codebook ends a report's name, identities tell reports apart."""

from __future__ import annotations

import pytest

from framelens.names import report_identity, report_name, safe_name


@pytest.mark.parametrize(
    ("parts", "codebook", "expected"),
    [
        (("Global Times", "2025-09-05", "AI as an international public good"), "ai",
         "global-times-2025-09-05-ai-as-an-international-public-good-ai"),
        (("Global Times", "2025-09-05", "AI as an international public good"), "policy",
         "global-times-2025-09-05-ai-as-an-international-public-good-policy"),
        (("comparison", "articles", "by", "bias_text"), "generic",
         "comparison-articles-by-bias-text-generic"),
        ((None, float("nan"), ""), "ai", "report-ai"),
        (("x",), "../../etc", "x-etc"),
    ],
)
def test_the_codebook_ends_a_report_name(parts, codebook, expected):
    assert report_name(*parts, codebook=codebook) == expected


def test_a_long_title_is_shortened_but_keeps_its_codebook():
    name = report_name("a" * 200, codebook="policy")
    assert len(name) == 80 and name.endswith("-policy")
    assert report_name("a" * 200, codebook="policy") != report_name("a" * 200, codebook="ai")


def test_two_codebooks_make_two_reports_of_one_article():
    ai = report_identity("/p/nb.ipynb", ["/p/a.txt"], codebook="ai")
    policy = report_identity("/p/nb.ipynb", ["/p/a.txt"], codebook="policy")
    assert ai.startswith("nb.ipynb, a.txt, codebook: ai [") and ai != policy
    assert report_identity("/p/nb.ipynb", ["/p/a.txt"]).startswith("nb.ipynb, a.txt [")


def test_an_identity_names_files_but_never_the_machine_s_paths():
    # it is written into every published folder: other folders, same file names, differ
    # by the hash only
    here = report_identity("/home/ana/study/nb.ipynb", ["/home/ana/study/data/a.txt"])
    there = report_identity("/srv/study/nb.ipynb", ["/srv/study/data/a.txt"])
    assert "/home" not in here and here != there
    assert here.rsplit(" [", 1)[0] == there.rsplit(" [", 1)[0] == "nb.ipynb, a.txt"


def test_safe_name_needs_no_pandas_for_text():
    # `framelens build` checks names on every run, without loading pandas
    assert safe_name("Reports", "2025") == "reports-2025"
