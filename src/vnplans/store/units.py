"""Unit identities in the store: one registry entry per canonical unit and issuing body.

The identities come from `vnplans.normalize.units` (`issuer_key_for(info)` and
`unit_id(name, issuer_key)`), so the store and the extractor agree on what "the same
unit" is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vnplans.models import DocumentInfo


def issuer_key(info: DocumentInfo) -> str | None:
    from vnplans.normalize.units import issuer_key_for

    return issuer_key_for(info)


def unit_identity(name: str, key: str | None) -> str:
    from vnplans.normalize.units import unit_id

    return unit_id(name, key)
