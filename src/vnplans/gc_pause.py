"""The cyclic garbage collector paused around work that allocates many long-lived or
acyclic objects (module imports, a page's text trace, the words of a document).

Such work makes no cyclic garbage, and a collection in the middle of it would only
rescan the new objects again and again. Each caller says why in its own words; this
module only keeps the pause and its undoing in one place.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc(*, freeze: bool = False) -> Iterator[None]:
    """No cyclic collection inside the block; the collector's state is restored
    after it. `freeze`: what is alive at the end of the block leaves the collector's
    view for good (`gc.freeze`): loaded modules that live as long as the process."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if collecting:
            gc.enable()
