"""permanent failures: a file whose content is no plan is not tried again every night

`failed_files.permanent` marks a failure that is a verdict on the file's bytes (no plan
appendix table, not a PDF, damaged, encrypted …; `vnplans.errors.VnplansError.permanent`)
and `failed_files.extractor_version` the version that gave it: while the file's sha256
and the extractor version stay the same, `vnplans ingest` passes it over (`--retry-failed`
tries it again). `ingestion_runs.files_not_retried` counts those a run passed over.
Failures stored before are not permanent: the next run tries them once more.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("failed_files") as batch:
        batch.add_column(sa.Column("permanent", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("extractor_version", sa.String(32), nullable=True))
        batch.create_index("ix_failed_files_sha256", ["sha256"])
    with op.batch_alter_table("ingestion_runs") as batch:
        batch.add_column(sa.Column("files_not_retried", sa.Integer(), nullable=False,
                                   server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("ingestion_runs") as batch:
        batch.drop_column("files_not_retried")
    with op.batch_alter_table("failed_files") as batch:
        batch.drop_index("ix_failed_files_sha256")
        batch.drop_column("extractor_version")
        batch.drop_column("permanent")
