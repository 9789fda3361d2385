"""Print the declared minimum versions of pyproject.toml as pip constraints (``name==floor``).

``make test-min`` installs framelens under these constraints in a separate venv and runs the
test suite, so the floors in pyproject.toml are versions that were tested, not guesses.
Covers ``[project] dependencies`` and the extras named on the command line (default: dev).

    python .ci/floors.py pyproject.toml dev > floors.txt
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

# name, optional [extras], then a ">=" floor among the specifiers
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*)$")
_FLOOR = re.compile(r">=\s*([0-9][^,;\s]*)")


def floors(pyproject: Path, extras: list[str]) -> list[str]:
    """``name==floor`` for every requirement with a ``>=`` floor, in file order."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"])
    for extra in extras:
        requirements += project["optional-dependencies"][extra]
    out = []
    for requirement in requirements:
        name, rest = _REQUIREMENT.match(requirement).groups()
        floor = _FLOOR.search(rest.split(";")[0])
        if floor is None:
            raise SystemExit(f"{pyproject}: {requirement!r} declares no minimum (>=) version")
        out.append(f"{name}=={floor.group(1)}")
    return out


if __name__ == "__main__":
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "pyproject.toml")
    sys.stdout.write("\n".join(floors(path, sys.argv[2:] or ["dev"])) + "\n")
