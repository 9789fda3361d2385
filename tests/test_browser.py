"""A report in a real browser: headless Chromium measures the page at phone width.

Skipped where Debian's ``chromium`` is not installed (``apt-get install chromium``).
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

#: a host page that shows the report in a frame of the given width (headless Chromium
#: will not make its window narrower than 500 px) and measures it once laid out
HOST = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="report" style="border:0" width="{width}" height="3000" srcdoc="{page}"></iframe>
<script>
const frame = document.getElementById("report");
frame.addEventListener("load", () => {{
  const doc = frame.contentDocument;
  const prose = [...doc.querySelectorAll("td.prose")].map(td => td.offsetWidth);
  const images = [...doc.querySelectorAll("img")];
  const out = document.createElement("pre");
  out.id = "fl-measure";
  out.textContent = JSON.stringify({{
    page: doc.documentElement.scrollWidth, viewport: frame.contentWindow.innerWidth,
    narrowest_prose: prose.length ? Math.min(...prose) : null,
    widest_image: Math.max(0, ...images.map(i => i.getBoundingClientRect().right)),
    images_without_alt: images.filter(i => !i.alt
                                      || i.alt.startsWith("No description")).length,
  }});
  document.body.appendChild(out);
}});
</script></body></html>"""


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


def _measure(page, tmp_path, *, width: int) -> dict:
    host = tmp_path / f"host-{width}.html"
    host.write_text(HOST.format(width=width, page=html.escape(page.read_text(encoding="utf-8"))),
                    encoding="utf-8")
    profile = tmp_path / f"profile-{width}"
    dom = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={profile}", "--window-size=1400,3000",
         "--virtual-time-budget=5000", "--dump-dom", host.as_uri()],
        capture_output=True, text=True, timeout=120, check=True).stdout
    found = re.search(r'<pre id="fl-measure">(.*?)</pre>', dom, re.S)
    assert found, dom[-2000:]
    return json.loads(html.unescape(found.group(1)))


@pytest.mark.parametrize("width", [390, 1280])
def test_report_is_no_wider_than_the_screen(tmp_path, width):
    measured = _measure(_report(tmp_path), tmp_path, width=width)
    assert measured["viewport"] == width
    assert measured["page"] <= measured["viewport"], measured  # tables scroll in their box
    assert measured["widest_image"] <= measured["viewport"], measured  # charts scale
    assert measured["images_without_alt"] == 0
    assert measured["narrowest_prose"] >= 150, measured  # sentences stay readable
