"""spaCy's matching core (Vocab, Doc, PhraseMatcher) without the rest of the package.

The unit matchers need three classes of spaCy, but `import spacy` runs the package's
__init__, which imports all that a trained pipeline needs: the Language class and its
config schemas, the pipeline components, the training package and the whole
command-line package (typer, weasel, httpx). None of it is used here, and it is a
third of spaCy's import time (~0.15 s of CPU).

`import_spacy()` therefore imports `spacy.tokens` and `spacy.matcher` (which import
what they need themselves: vocab, strings, attrs, numpy, thinc …) under a `spacy`
package whose __init__ has not run. Then it takes that package out of `sys.modules`
and puts a finder first on `sys.meta_path` that hands out the very same module object,
running spaCy's real __init__ in it, the first time anybody imports `spacy` or any
spaCy module not loaded yet (`import spacy`, `import spacy.cli`, `from spacy import
blank`: each imports the package first). From then on it is what a plain `import
spacy` gives, and the finder is gone. Meanwhile `from spacy.tokens import Doc` and the
like, of modules already loaded, do not touch the package.

If the shortcut fails in any way (a spaCy whose modules import each other
differently), its __init__ runs at once: a plain `import spacy` that reuses what was
loaded. Slower, never wrong.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import types
from typing import Any

# Imported in this order: `spacy.tokens` first, as the real __init__ does indirectly
# (vocab → tokens.doc → tokens._dict_proxies → … is circular and resolves only when
# entered from the `spacy.tokens` package).
CORE_MODULES = ("spacy.tokens", "spacy.matcher")

_waiting: _Completer | None = None  # the finder of the incomplete package, if any


def import_spacy() -> types.ModuleType:
    """The `spacy` package, with Vocab, Doc and PhraseMatcher importable (see the module
    docstring). Imports only its matching core unless spaCy is imported already."""
    global _waiting
    loaded = sys.modules.get("spacy")
    if loaded is not None:
        return loaded
    if _waiting is not None:
        return _waiting.package
    spec = importlib.util.find_spec("spacy")
    if spec is None or spec.loader is None or spec.submodule_search_locations is None:
        import spacy  # not a plain package: let the import system say what is wrong

        return spacy
    package = importlib.util.module_from_spec(spec)
    sys.modules["spacy"] = package
    try:
        for name in CORE_MODULES:
            importlib.import_module(name)
        # What the real __init__ does first: spaCy's own warning filters.
        from spacy.errors import setup_default_warnings

        setup_default_warnings()
    except Exception:  # noqa: BLE001 - any surprise: the whole __init__, now
        try:
            spec.loader.exec_module(package)
        except BaseException:
            sys.modules.pop("spacy", None)  # as a failed plain import leaves it
            raise
        return package
    del sys.modules["spacy"]
    _waiting = _Completer(package, spec)
    sys.meta_path.insert(0, _waiting)
    return package


def is_complete() -> bool:
    """Whether spaCy's own __init__ has run (or spaCy is not imported at all)."""
    return _waiting is None


class _Completer(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports `spacy` as the incomplete package, completed by its own __init__."""

    def __init__(self, package: types.ModuleType, spec: importlib.machinery.ModuleSpec) -> None:
        self.package = package
        self._spec = spec

    def find_spec(self, fullname: str, path: Any = None, target: Any = None
                  ) -> importlib.machinery.ModuleSpec | None:
        if fullname != "spacy":
            return None
        spec = importlib.util.spec_from_loader(
            "spacy", self, origin=self._spec.origin, is_package=True)
        if spec is not None:
            spec.submodule_search_locations = self._spec.submodule_search_locations
        return spec

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return self.package

    def exec_module(self, module: types.ModuleType) -> None:
        global _waiting
        try:
            self._spec.loader.exec_module(module)  # type: ignore[union-attr]
        finally:
            module.__spec__ = self._spec  # the import system set ours: put spaCy's back
        # Complete: the finder goes (after a failure it stays, for the next import).
        if self in sys.meta_path:
            sys.meta_path.remove(self)
        _waiting = None
