"""contract version 2: tables and their columns, inspected units, durations, extra
columns, merged roles, OCR confidence, schedule milestones and times

Adds `document_tables` / `table_columns`, `row_extras`, `schedule_milestones`,
`schedule_times` and the version-2 columns of `plan_rows`; widens `row_units.role`
(role `inspected`: PostgreSQL enforces VARCHAR lengths); recreates the analyst views
with the new columns. Rows stored before get `table_number` 1, as a version-1
document's rows read (`Row.table` defaults to 1). Views stay plain SQL both SQLite and
PostgreSQL accept.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ASSIGNMENTS = """
CREATE VIEW assignments AS
SELECT
    r.id AS row_id,
    d.id AS document_id,
    d.file_name AS file_name,
    d.symbol AS symbol,
    d.number AS number,
    d.province AS province,
    d.issuer AS issuer,
    d.year AS plan_year,
    r.position AS position,
    r.table_number AS table_number,
    t.title AS table_title,
    t.kind AS table_kind,
    r.section_path AS section_path,
    r.tt AS tt,
    r.task AS task,
    r.lead AS lead,
    r.support AS support,
    r.lead_units AS lead_units,
    r.support_units AS support_units,
    r.inspected AS inspected,
    r.inspected_units AS inspected_units,
    r.outcome AS outcome,
    r.deadline AS deadline,
    r.duration AS duration,
    r.duration_days AS duration_days,
    s.kind AS schedule_kind,
    s.due AS due,
    s.frequencies AS frequencies,
    r.index_name AS index_name,
    r.index_component_code AS index_component_code,
    r.index_component_name AS index_component_name,
    r.merged AS merged,
    r.confidence AS confidence,
    r.extra_json AS extra,
    r.pages AS pages
FROM plan_rows r
JOIN documents d ON d.id = r.document_id
LEFT JOIN schedules s ON s.row_id = r.id
LEFT JOIN document_tables t ON t.document_id = r.document_id AND t.number = r.table_number
"""

UNIT_ASSIGNMENTS = """
CREATE VIEW unit_assignments AS
SELECT
    u.name AS unit,
    u.id AS unit_id,
    u.issuer_key AS issuer_key,
    ru.role AS role,
    r.id AS row_id,
    r.tt AS tt,
    r.task AS task,
    r.inspected AS inspected,
    r.section_path AS section_path,
    t.title AS table_title,
    r.deadline AS deadline,
    r.duration AS duration,
    s.kind AS schedule_kind,
    s.due AS due,
    r.merged AS merged,
    r.confidence AS confidence,
    r.extra_json AS extra,
    d.id AS document_id,
    d.file_name AS file_name,
    d.symbol AS symbol,
    d.province AS province,
    d.year AS plan_year
FROM row_units ru
JOIN units u ON u.id = ru.unit_id
JOIN plan_rows r ON r.id = ru.row_id
JOIN documents d ON d.id = r.document_id
LEFT JOIN schedules s ON s.row_id = r.id
LEFT JOIN document_tables t ON t.document_id = r.document_id AND t.number = r.table_number
"""

UPCOMING_DEADLINES = """
CREATE VIEW upcoming_deadlines AS
SELECT
    ua.unit AS unit,
    ua.unit_id AS unit_id,
    ua.role AS role,
    ua.due AS due,
    ua.deadline AS deadline,
    ua.duration AS duration,
    ua.document_id AS document_id,
    ua.file_name AS file_name,
    ua.symbol AS symbol,
    ua.table_title AS table_title,
    ua.tt AS tt,
    ua.task AS task,
    ua.inspected AS inspected,
    ua.row_id AS row_id
FROM unit_assignments ua
WHERE ua.due IS NOT NULL
ORDER BY ua.due, ua.unit, ua.role, ua.document_id, ua.row_id
"""

# The views of revision 0002, for downgrade.
ASSIGNMENTS_0002 = """
CREATE VIEW assignments AS
SELECT
    r.id AS row_id, d.id AS document_id, d.file_name AS file_name, d.symbol AS symbol,
    d.number AS number, d.province AS province, d.issuer AS issuer, d.year AS plan_year,
    r.position AS position, r.section_path AS section_path, r.tt AS tt, r.task AS task,
    r.lead AS lead, r.support AS support, r.lead_units AS lead_units,
    r.support_units AS support_units, r.outcome AS outcome, r.deadline AS deadline,
    s.kind AS schedule_kind, s.due AS due, s.frequencies AS frequencies,
    r.index_name AS index_name, r.index_component_code AS index_component_code,
    r.index_component_name AS index_component_name, r.pages AS pages
FROM plan_rows r
JOIN documents d ON d.id = r.document_id
LEFT JOIN schedules s ON s.row_id = r.id
"""

UNIT_ASSIGNMENTS_0002 = """
CREATE VIEW unit_assignments AS
SELECT
    u.name AS unit, u.id AS unit_id, u.issuer_key AS issuer_key, ru.role AS role,
    r.id AS row_id, r.tt AS tt, r.task AS task, r.section_path AS section_path,
    r.deadline AS deadline, s.kind AS schedule_kind, s.due AS due,
    d.id AS document_id, d.file_name AS file_name, d.symbol AS symbol,
    d.province AS province, d.year AS plan_year
FROM row_units ru
JOIN units u ON u.id = ru.unit_id
JOIN plan_rows r ON r.id = ru.row_id
JOIN documents d ON d.id = r.document_id
LEFT JOIN schedules s ON s.row_id = r.id
"""

UPCOMING_DEADLINES_0002 = """
CREATE VIEW upcoming_deadlines AS
SELECT
    ua.unit AS unit, ua.unit_id AS unit_id, ua.role AS role, ua.due AS due,
    ua.deadline AS deadline, ua.document_id AS document_id, ua.file_name AS file_name,
    ua.symbol AS symbol, ua.tt AS tt, ua.task AS task, ua.row_id AS row_id
FROM unit_assignments ua
WHERE ua.due IS NOT NULL
ORDER BY ua.due, ua.unit, ua.role, ua.document_id, ua.row_id
"""

_NEW_ROW_COLUMNS = (
    ("table_number", sa.Integer()),
    ("inspected", sa.Text()),
    ("inspected_units", sa.Text()),
    ("duration", sa.Text()),
    ("duration_days", sa.Integer()),
    ("merged", sa.Text()),
    ("confidence", sa.Float()),
    ("extra_json", sa.Text()),
)


def _drop_views() -> None:
    op.execute("DROP VIEW IF EXISTS upcoming_deadlines")
    op.execute("DROP VIEW IF EXISTS unit_assignments")
    op.execute("DROP VIEW IF EXISTS assignments")


def upgrade() -> None:
    # The views read the tables changed below (SQLite's batch mode copies row_units).
    _drop_views()
    op.create_table(
        "document_tables",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("pages", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"],
                                name=op.f("fk_document_tables_document_id_documents"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_tables")),
        sa.UniqueConstraint("document_id", "number",
                            name=op.f("uq_document_tables_document_id_number")),
    )
    op.create_table(
        "table_columns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("table_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("header", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(["table_id"], ["document_tables.id"],
                                name=op.f("fk_table_columns_table_id_document_tables"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_table_columns")),
    )
    op.create_index(op.f("ix_table_columns_table_id"), "table_columns", ["table_id"])
    with op.batch_alter_table("plan_rows", schema=None) as batch_op:
        for name, type_ in _NEW_ROW_COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
    op.execute("UPDATE plan_rows SET table_number = 1")
    op.create_table(
        "row_extras",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("header", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["row_id"], ["plan_rows.id"],
                                name=op.f("fk_row_extras_row_id_plan_rows"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_row_extras")),
    )
    op.create_index(op.f("ix_row_extras_row_id"), "row_extras", ["row_id"])
    op.create_index(op.f("ix_row_extras_header"), "row_extras", ["header"])
    op.create_table(
        "schedule_milestones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["row_id"], ["schedules.row_id"],
                                name=op.f("fk_schedule_milestones_row_id_schedules"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_milestones")),
    )
    op.create_index(op.f("ix_schedule_milestones_row_id"), "schedule_milestones", ["row_id"])
    op.create_index(op.f("ix_schedule_milestones_due"), "schedule_milestones", ["due"])
    op.create_table(
        "schedule_times",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=True),
        sa.ForeignKeyConstraint(["row_id"], ["schedules.row_id"],
                                name=op.f("fk_schedule_times_row_id_schedules"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_times")),
    )
    op.create_index(op.f("ix_schedule_times_row_id"), "schedule_times", ["row_id"])
    with op.batch_alter_table("row_units", schema=None) as batch_op:
        batch_op.alter_column("role", existing_type=sa.String(length=8),
                              type_=sa.String(length=16), existing_nullable=False)
    op.execute(ASSIGNMENTS)
    op.execute(UNIT_ASSIGNMENTS)
    op.execute(UPCOMING_DEADLINES)


def downgrade() -> None:
    _drop_views()
    op.execute("DELETE FROM row_units WHERE role = 'inspected'")
    with op.batch_alter_table("row_units", schema=None) as batch_op:
        batch_op.alter_column("role", existing_type=sa.String(length=16),
                              type_=sa.String(length=8), existing_nullable=False)
    op.drop_table("schedule_times")
    op.drop_table("schedule_milestones")
    op.drop_table("row_extras")
    with op.batch_alter_table("plan_rows", schema=None) as batch_op:
        for name, _type in reversed(_NEW_ROW_COLUMNS):
            batch_op.drop_column(name)
    op.drop_table("table_columns")
    op.drop_table("document_tables")
    op.execute(ASSIGNMENTS_0002)
    op.execute(UNIT_ASSIGNMENTS_0002)
    op.execute(UPCOMING_DEADLINES_0002)
