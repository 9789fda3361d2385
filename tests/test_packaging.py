"""The project's promises about itself: dependencies in step, a deliberate public API,
clean notebooks."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import yaml

import framelens as fl

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _declared() -> dict[str, str]:
    """pyproject.toml's dependencies and [dev] extra: name -> requirement."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {_name(r): r for r in
            [*pyproject["dependencies"], *pyproject["optional-dependencies"]["dev"]]}


def _locked() -> dict[str, str]:
    """requirements.lock's pins: name -> version."""
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line.strip() and not line.startswith((" ", "#", "-")):
            name, _, version = line.partition("==")
            pins[_name(name)] = version.split(";")[0].split()[0]
    return pins


def test_the_lock_pins_every_declared_dependency_within_its_range():
    from packaging.requirements import Requirement

    locked = _locked()
    for name, requirement in _declared().items():
        assert name in locked, f"{name} is declared in pyproject.toml but not locked"
        assert Requirement(requirement).specifier.contains(locked[name]), (requirement,
                                                                          locked[name])
    # the [train] extra (PyTorch and the exporters) never goes into the default install
    assert not {"torch", "transformers", "onnx"} & set(locked)


def test_every_install_path_installs_the_lock():
    assert "-r $(LOCK)" in (ROOT / "Makefile").read_text()
    assert "LOCK    = requirements.lock" in (ROOT / "Makefile").read_text()
    assert "make test" in (ROOT / ".ci" / "run").read_text()  # which installs via make
    workflow = (ROOT / "examples" / "github-workflow.yml").read_text()
    assert "pip install -r requirements.lock" in workflow
    env = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
    pip = next(item["pip"] for item in env if isinstance(item, dict))
    assert pip == ["-r requirements.lock", "-e ."]


def test_public_api_is_complete_and_sorted():
    assert fl.__all__ == sorted(fl.__all__)
    for name in fl.__all__:
        assert hasattr(fl, name), name
    public = {n for n in dir(fl) if not n.startswith("_")}
    modules = {"actors", "analysis", "build", "cli", "codebook", "collect", "compare", "corpus",
               "columns", "duplicates", "engine", "errors", "explore", "files", "framing", "models",
               "pattern", "plots", "yamlfile",
               "quotes", "reports", "scores", "segment", "sentiment", "terms", "validation",
               "vader", "versions"}
    assert public - modules - set(fl.__all__) == set()


def test_the_lazy_names_the_type_checking_imports_and_all_agree():
    # framelens resolves its names on first use from _MODULES; editors and type checkers
    # read the imports under TYPE_CHECKING instead: both must list the same names
    import ast

    tree = ast.parse(Path(fl.__file__).read_text(encoding="utf-8"))
    block = next(node for node in tree.body if isinstance(node, ast.If))
    imported = {(node.module.split(".", 1)[1], alias.name)
                for node in block.body if isinstance(node, ast.ImportFrom)
                for alias in node.names}
    assert imported == {(module, name) for module, names in fl._MODULES.items()
                        for name in names}
    assert fl.__all__ == sorted(fl._WHERE)


def test_notebooks_are_committed_without_outputs():
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        nb = json.loads(path.read_text())
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert not cell.get("outputs") and not cell.get("execution_count"), path.name


def test_article_notebook_has_a_parameters_cell():
    nb = json.loads((ROOT / "notebooks" / "article_report.ipynb").read_text())
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    source = "".join(tagged[0]["source"])
    for name in ("article", "codebook", "top_n", "output_dir"):
        assert re.search(rf"^{name} = ", source, re.M), name


def test_notebooks_define_no_functions():
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        nb = json.loads(path.read_text())
        code = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
        assert not re.search(r"^\s*(def|class) ", code, re.M), path.name
