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
    modules = {"actors", "analysis", "build", "cli", "codebook", "collect", "compare",
               "comparison", "corpus",
               "columns", "duplicates", "engine", "errors", "explore", "files", "framing", "models",
               "names",
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


# --- the import graph: data flows one way, and no module reaches into another's privates ---


def _import_graph(package: Path) -> tuple[dict[str, set[str]], list[str]]:
    """The package's modules and the framelens modules each imports (also inside
    functions: a lazy import is still a dependency; not under ``if TYPE_CHECKING:``, which
    never runs), and every ``from framelens.x import _name`` found."""
    import ast

    modules = {}
    for path in package.rglob("*.py"):
        parts = path.relative_to(package.parent).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph: dict[str, set[str]] = {name: set() for name in modules}
    private: list[str] = []
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = {id(node) for block in ast.walk(tree)
                   if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
                   for node in ast.walk(block)}
        home = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.Import):
                graph[name] |= {a.name for a in node.names if a.name in modules} - {name}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: from .x import y
                    up = home.split(".")[:len(home.split(".")) - node.level + 1]
                    base = ".".join([*up, *([node.module] if node.module else [])])
                if base not in modules:
                    continue
                for alias in node.names:
                    target = f"{base}.{alias.name}"
                    if target in modules:  # from framelens import compare: a module
                        graph[name].add(target)
                        continue
                    if base != name:
                        graph[name].add(base)
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        private.append(f"{name} imports {base}.{alias.name}")
    return graph, private


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle a depth-first search meets (each as the modules along it)."""
    found, state, stack = [], {}, []

    def visit(node: str) -> None:
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                found.append([*stack[stack.index(nxt):], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def test_the_import_graph_check_finds_a_cycle_and_a_private_import(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("def f():\n    from pkg.b import g\n")  # lazy, still an edge
    (package / "b.py").write_text("from pkg import a\nfrom pkg.c import _helper\n")
    (package / "c.py").write_text("from typing import TYPE_CHECKING\n"
                                  "if TYPE_CHECKING:\n    from pkg.a import f\n")
    graph, private = _import_graph(package)
    assert graph == {"pkg": set(), "pkg.a": {"pkg.b"}, "pkg.b": {"pkg.a", "pkg.c"},
                     "pkg.c": set()}
    assert _cycles(graph) == [["pkg.a", "pkg.b", "pkg.a"]]
    assert private == ["pkg.b imports pkg.c._helper"]


def test_framelens_imports_flow_one_way_without_private_names():
    # articles -> per-article analysis -> scores table -> comparison -> reports: a module
    # never imports one above it, even inside a function
    graph, private = _import_graph(Path(fl.__file__).parent)
    assert _cycles(graph) == []
    assert private == []
    assert "framelens.comparison" in graph["framelens.reports"]
    assert "framelens.analysis" in graph["framelens.scores"]
    assert "framelens.scores" in graph["framelens.comparison"]
