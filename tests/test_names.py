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
    assert ai == "/p/nb.ipynb\n/p/a.txt\ncodebook: ai"
    assert ai != policy
    assert report_identity("/p/nb.ipynb", ["/p/a.txt"]) == "/p/nb.ipynb\n/p/a.txt"


def test_safe_name_needs_no_pandas_for_text():
    # `framelens build` checks names on every run, without loading pandas
    assert safe_name("Reports", "2025") == "reports-2025"
