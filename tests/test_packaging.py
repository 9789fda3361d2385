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


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in pyproject["dependencies"]}
    wanted |= {_name(r) for r in pyproject["optional-dependencies"]["dev"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
    listed = set()
    for item in env:
        if isinstance(item, dict):
            listed |= {_name(r) for r in item["pip"] if not r.startswith("-e")}
        else:
            listed.add(_name(item))
    listed -= {"python", "pip"}
    assert listed == wanted


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
