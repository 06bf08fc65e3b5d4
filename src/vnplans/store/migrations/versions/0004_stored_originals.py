"""stored originals: the bytes of files queued with `vnplans enqueue --upload`

One row per content hash (sha256), so a file queued many times, or under many names,
is stored once. Queue workers on hosts that do not share the original folder read it
from here, and `vnplans reextract` queues every stored document again from it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stored_originals",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_stored_originals")),
    )


def downgrade() -> None:
    op.drop_table("stored_originals")
