"""Reading the store from Python: documents back as contract objects, one plan by id.

    from vnplans.store.api import load_documents
    for doc in load_documents("sqlite:///data/processed/plans.db"):
        print(doc.document.symbol, len(doc.rows))
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Engine, select

from vnplans.errors import StoreError
from vnplans.models import PlanDocument
from vnplans.store.db import create_readonly_engine
from vnplans.store.models import Document

documents = Document.__table__


def load_documents(db_url: str | None = None) -> Iterator[PlanDocument]:
    """Every stored document as the contract object `vnplans extract` produced, in the
    order they were first loaded. `db_url` None: env VNPLANS_DB, else the SQLite default."""
    engine = create_readonly_engine(db_url)
    try:
        for text in iter_contract_json(engine):
            yield PlanDocument.model_validate_json(text)
    finally:
        engine.dispose()


def iter_contract_json(engine: Engine) -> Iterator[str]:
    """The stored contract JSON of every document, exactly as extracted."""
    with engine.connect() as conn:
        result = conn.execute(select(documents.c.contract_json).order_by(documents.c.id))
        for (text,) in result:
            yield text


def find_document_id(engine: Engine, key: str) -> int | None:
    """A document by its id ("12") or a sha256 prefix (at least 6 hex digits).
    Raises StoreError when a prefix matches several documents."""
    key = key.strip().lower()
    with engine.connect() as conn:
        if key.isdigit():
            found = conn.execute(select(documents.c.id).where(documents.c.id == int(key))).scalar()
            if found is not None:
                return found
        if len(key) < 6 or any(c not in "0123456789abcdef" for c in key):
            return None
        ids = conn.execute(select(documents.c.id).where(documents.c.sha256.startswith(key))
                           .limit(2)).scalars().all()
    if len(ids) > 1:
        raise StoreError(f"sha256 prefix {key} matches several documents; give more digits")
    return ids[0] if ids else None


def find_document_by_sha(engine: Engine, sha256: str) -> int | None:
    with engine.connect() as conn:
        return conn.execute(select(documents.c.id).where(documents.c.sha256 == sha256)).scalar()


def get_document(engine: Engine, document_id: int) -> PlanDocument:
    with engine.connect() as conn:
        text = conn.execute(select(documents.c.contract_json)
                            .where(documents.c.id == document_id)).scalar()
    if text is None:
        raise StoreError(f"no document with id {document_id}")
    return PlanDocument.model_validate_json(text)
