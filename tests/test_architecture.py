"""The stages import only downwards (docs/architecture.md): every `import vnplans.…`
in the package, at module level or inside a function, goes to the same layer or a
lower one, and the stage packages import one another without cycles."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "vnplans"

# Lowest first. A module's layer is that of its first name under vnplans.
LAYERS: list[set[str]] = [
    # ground floor: data types, knowledge files, Vietnamese text, geometry, process tools
    {"__init__", "errors", "ir", "models", "frames", "knowledge", "vietnamese", "index_names",
     "geometry", "fsnames", "gc_pause", "counts"},
    {"pdf", "word"},
    {"textlayer"},
    {"layout"},
    {"table"},
    {"normalize"},
    {"pipeline", "picture"},
    {"store", "exports", "limits"},
    {"cli", "__main__", "schema"},
]


def layer_of(name: str) -> int:
    for level, names in enumerate(LAYERS):
        if name in names:
            return level
    raise AssertionError(f"vnplans.{name} is in no layer: add it to LAYERS and the doc")


def _is_module(name: str) -> bool:
    return (PACKAGE / f"{name}.py").exists() or (PACKAGE / name).is_dir()


def imports_of(path: Path) -> set[str]:
    """The vnplans sub-packages or modules (first name under vnplans) `path` imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] if node.module != "vnplans" else \
                [f"vnplans.{a.name}" if _is_module(a.name) else "vnplans.__init__"
                 for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "vnplans" and len(parts) > 1:
                found.add(parts[1])
    return found


def own_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0].removesuffix(".py")


def test_every_import_goes_down_or_sideways() -> None:
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        # The package's own __init__ is the public facade (`vnplans.extract`,
        # `vnplans.open_store`): it may reach every layer, inside its functions.
        if "migrations" in path.parts or path == PACKAGE / "__init__.py":
            continue
        me = own_name(path)
        for target in imports_of(path):
            if target != me and layer_of(target) > layer_of(me):
                upward.append(f"{path.relative_to(PACKAGE)} imports vnplans.{target}")
    assert upward == []


def test_stage_packages_form_no_cycle() -> None:
    edges: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts or path == PACKAGE / "__init__.py":
            continue
        me = own_name(path)
        edges.setdefault(me, set()).update(t for t in imports_of(path) if t != me)

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in edges.get(start, ()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    stages = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    cycles = sorted(me for me in edges if me in stages and reaches(me, me, {me}))
    assert cycles == []
