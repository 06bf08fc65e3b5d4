"""vnplans: Vietnamese government plan PDFs (Kế hoạch) into a queryable database.

For analysts (docs/analysis.md):

    import vnplans
    plan = vnplans.extract("plan.pdf")        # the contract: a PlanDocument
    plan.to_pandas()                          # one row per assignment
    store = vnplans.open_store()              # the database, read-only, as DataFrames
    store.assignments(province="Bình Định")

Importing the package loads nothing else: the functions below import the pipeline,
the store and pandas when first called (a nightly `vnplans ingest` of an unchanged
folder never needs them).
"""

from __future__ import annotations

# Not `typing.TYPE_CHECKING`: importing typing (and pathlib for the hint) alone would
# cost more than the rest of `import vnplans`.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

    from vnplans.models import PlanDocument
    from vnplans.store.frames import Store

__version__ = "0.2.0"

# Bumped whenever extraction output can change for the same PDF: the store re-ingests
# documents extracted by an older version.
EXTRACTOR_VERSION = "0.2.0"

__all__ = ["EXTRACTOR_VERSION", "__version__", "extract", "open_store"]


def extract(path: str | Path, *, ocr: bool = True) -> PlanDocument:
    """One plan PDF through the whole pipeline, as the contract object `vnplans extract`
    prints (`.to_json()`, `.to_pandas()`). Raises `vnplans.errors.BadInputError` for an
    unreadable file and `NoAppendixError` for a PDF without a plan table."""
    from vnplans.pipeline import extract as run_pipeline

    return run_pipeline(path, ocr=ocr)


def open_store(url: str | None = None) -> Store:
    """The plan database, read-only, as pandas DataFrames (`vnplans.store.frames.Store`).
    `url` None: env VNPLANS_DB, else the SQLite default `data/processed/plans.db`."""
    from vnplans.store.frames import open_store as open_readonly

    return open_readonly(url)
