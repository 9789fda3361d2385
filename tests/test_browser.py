"""Reports in a real browser: headless Chromium lays out every kind of report framelens
publishes (article, comparison, build index, validation) at desktop and phone width.

A page fails when it is wider than the screen (the reader must scroll sideways), when an
image has no alt text (a screen reader says nothing, or "No description has been
provided"), or when it writes an error to the console (a script that throws, a resource
that does not load: a report must work offline).

Skipped where Debian's ``chromium`` is not installed (``apt-get install chromium``;
``.ci/run`` installs it).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess

import nbformat
import pandas as pd
import pytest

import framelens as fl
from framelens.reports import export_html, table_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.skipif(CHROMIUM is None,
                                reason="headless Chromium not installed (apt-get install "
                                       "chromium)")

WIDTHS = (390, 1280)

#: put first in the report's page: records console errors, uncaught exceptions and
#: resources that fail to load, for the host page to read once the report has loaded
RECORDER = """<script>window.__flErrors = [];
(function () {
  const keep = m => window.__flErrors.push(String(m));
  const error = console.error;
  console.error = function (...args) { keep(args.join(" ")); error.apply(console, args); };
  window.addEventListener("error", e => keep(e.message
      || "failed to load " + (e.target && (e.target.src || e.target.href))), true);
  window.addEventListener("unhandledrejection", e => keep("unhandled: " + e.reason));
})();</script>"""

#: a host page that shows reports in frames of given widths (headless Chromium will not
#: make its window narrower than 500 px) and measures each once all are laid out: one
#: browser start for every page and width
HOST = """<!DOCTYPE html><html><body style="margin:0">
{frames}
<script>
const frames = [...document.querySelectorAll("iframe")];
const measured = {{}};
function measure(frame) {{
  const doc = frame.contentDocument;
  const prose = [...doc.querySelectorAll("td.prose")].map(td => td.offsetWidth);
  const images = [...doc.querySelectorAll("img")];
  measured[frame.id] = {{
    page: doc.documentElement.scrollWidth, viewport: frame.contentWindow.innerWidth,
    narrowest_prose: prose.length ? Math.min(...prose) : null,
    widest_image: Math.max(0, ...images.map(i => i.getBoundingClientRect().right)),
    images: images.length,
    images_without_alt: images.filter(i => !i.alt.trim()
                                      || i.alt.startsWith("No description")).length,
    errors: frame.contentWindow.__flErrors || ["the error recorder did not run"],
  }};
}}
// the page's load event waits for every frame (a frame's own load event may come before
// a listener on it could be added)
window.addEventListener("load", () => {{
  frames.forEach(measure);
  const out = document.createElement("pre");
  out.id = "fl-measure";
  out.textContent = JSON.stringify(measured);
  document.body.appendChild(out);
}});
</script></body></html>"""
FRAME = '<iframe id="{key}" style="border:0;display:block" width="{width}" height="3000" ' \
        'srcdoc="{page}"></iframe>'


def _with_recorder(page: str) -> str:
    head = re.search(r"<head[^>]*>", page, re.I)
    at = head.end() if head else 0
    return page[:at] + RECORDER + page[at:]


def _measure_all(pages: dict, tmp_path) -> dict:
    """Lay out every page at every width in one headless Chromium; ``{(name, width):
    measurements}``."""
    frames = []
    for name, page in pages.items():
        report = html.escape(_with_recorder(page.read_text(encoding="utf-8")))
        frames += [FRAME.format(key=f"{name}-{width}", width=width, page=report)
                   for width in WIDTHS]
    host = tmp_path / "host.html"
    host.write_text(HOST.format(frames="\n".join(frames)), encoding="utf-8")
    dom = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
         "--window-size=1400,3000", "--virtual-time-budget=30000", "--dump-dom",
         host.as_uri()],
        capture_output=True, text=True, timeout=180, check=True).stdout
    found = re.search(r'<pre id="fl-measure">(.*?)</pre>', dom, re.S)
    assert found, dom[-2000:]
    measured = json.loads(html.unescape(found.group(1)))
    return {(name, width): measured[f"{name}-{width}"] for name in pages for width in WIDTHS}


def _check(measured: dict, width: int) -> None:
    assert measured["viewport"] == width
    assert measured["page"] <= measured["viewport"], measured  # no sideways scrolling
    assert measured["widest_image"] <= measured["viewport"], measured  # charts scale
    assert measured["images_without_alt"] == 0, measured
    assert measured["errors"] == [], measured
    if measured["narrowest_prose"] is not None:
        assert measured["narrowest_prose"] >= 150, measured  # sentences stay readable


# --- a hand-made page: the table and chart helpers on their own -----------------------


def _report(tmp_path):
    """A report as framelens exports it: a wide table with sentences, and a chart."""
    wide = pd.DataFrame({
        "label": ["Security and risk", "Economic growth and industry"],
        **{f"measure_{i}": [1108982.123, 0.0001] for i in range(8)},
        "reliable": pd.array([True, pd.NA], dtype="boolean"),
        "text": ["Officials warned that security risks and threats grow as growth slows.",
                 "The ministry said trade and investment would rise next year, and more."],
    })
    chart = fl.plot_group_means(pd.DataFrame({"group": ["left", "right"], "n": [10, 12],
                                              "mean": [0.10, 0.11], "mean_lo": [0.05, 0.06],
                                              "mean_hi": [0.15, 0.16]}))
    data, metadata = chart._repr_mimebundle_()
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# A report\n\nSome text."),
        nbformat.v4.new_code_cell("table", outputs=[nbformat.v4.new_output(
            "display_data", data={"text/html": str(table_html(wide))})]),
        nbformat.v4.new_code_cell("chart", outputs=[
            nbformat.v4.new_output("display_data", data=data, metadata=metadata)]),
    ]
    nbformat.write(nb, tmp_path / "report.ipynb")
    return export_html(tmp_path / "report.ipynb", tmp_path / "report.html")


def test_report_is_no_wider_than_the_screen(tmp_path):
    measured = _measure_all({"report": _report(tmp_path)}, tmp_path)
    for width in WIDTHS:
        _check(measured["report", width], width)
        assert measured["report", width]["images"] == 1


def test_the_check_sees_overflow_missing_alt_text_and_console_errors(tmp_path):
    # the measurements can fail: a page with each fault is caught
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html><head><meta name="viewport" content="width=device-width">'
        '</head><body><div style="width:900px">wide</div>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        '<img src="missing-chart.png" alt="A chart that is not there">'
        '<script>console.error("broken"); throw new Error("boom");</script></body></html>',
        encoding="utf-8")
    measured = _measure_all({"bad": bad}, tmp_path)
    for width in WIDTHS:
        found = measured["bad", width]
        assert found["page"] > width if width < 900 else found["page"] == width
        assert found["images_without_alt"] == 1
        assert "broken" in found["errors"] and any("boom" in e for e in found["errors"])
        assert any("missing-chart.png" in e for e in found["errors"])


# --- every kind of report framelens publishes, built from small inputs ----------------

ARTICLE = ("---\ntitle: Robots and rules\noutlet: Test Wire\ndate: 2025-01-02\n---\n"
           '"Cooperation on artificial intelligence is a public good that benefits everyone," '
           "Wang Peng said.\n"
           "Officials warned that security risks and threats grow as economic growth slows.\n"
           "The ministry said trade and investment would rise next year.\n")


def _validation_page(folder, article) -> object:
    """A validation of the ai codebook in which two coders agree with framelens."""
    sample = fl.draw_sample(fl.read_articles(article), n=3, unit="sentence", codebook="ai")
    sheet, _, machine = fl.write_coding_sheet(sample, folder / "coding" / "sheet.csv",
                                              codebook="ai", coders=("ana", "ben"),
                                              unit="sentence")
    codes = pd.read_csv(sheet, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    own = pd.read_csv(machine, dtype=str, keep_default_na=False,
                      encoding="utf-8-sig").set_index("unit_id")
    for column in [c for c in codes.columns if c.startswith("frame_")] + ["sentiment"]:
        codes[column] = codes["unit_id"].map(own[f"machine_{column}"])
    codes.to_csv(sheet, index=False)
    result = fl.validate(fl.read_coding_sheet(sheet), machine)
    page = folder / "validation.html"
    page.write_text(fl.validation_html(result), encoding="utf-8")
    return page


@pytest.fixture(scope="module")
def reports(tmp_path_factory, small_corpus) -> dict:
    """One small report of each kind (the build makes the article report and the index),
    measured at every width: ``{(kind, width): measurements}``."""
    from framelens.build import build, load_build_config

    folder = tmp_path_factory.mktemp("kinds")
    article = folder / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    notebook = fl.reports.find_notebook("article_report")
    (folder / "reports.yml").write_text(
        "reports:\n  - name: robots\n    title: Robots and rules\n"
        f"    notebook: {notebook}\n    inputs:\n      article: article.txt\n"
        "    parameters:\n      codebook: ai\n      top_n: 5\n", encoding="utf-8")
    built = build(load_build_config(folder / "reports.yml"), out_dir=folder / "reports")
    assert built.exit_code == 0, built.outcomes.to_dict("records")
    corpus = folder / "corpus.jsonl"
    small_corpus.to_json(corpus, orient="records", lines=True)
    comparison = fl.report_comparison(corpus, by="source", columns={"text": "body"},
                                      out_dir=folder / "comparisons", n_boot=50, top_n=5)
    pages = {
        "article": next((folder / "reports" / "robots").glob("*.html")),
        "comparison": comparison.html,
        "index": folder / "reports" / "index.html",
        "validation": _validation_page(folder, article),
    }
    return _measure_all(pages, folder)


@pytest.mark.notebook
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", ["article", "comparison", "index", "validation"])
def test_every_kind_of_report_fits_the_screen_describes_its_images_and_logs_no_error(
        reports, kind, width):
    measured = reports[kind, width]
    _check(measured, width)
    if kind in ("article", "comparison"):
        assert measured["images"] >= 2  # the charts are there, each with its alt text
