"""analyst views: assignments, unit_assignments, upcoming_deadlines

Plain SQL both SQLite and PostgreSQL accept (no string aggregation, no dialect
functions), so the views also open as is in Datasette and DuckDB's sqlite scanner.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
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
    r.section_path AS section_path,
    r.tt AS tt,
    r.task AS task,
    r.lead AS lead,
    r.support AS support,
    r.lead_units AS lead_units,
    r.support_units AS support_units,
    r.outcome AS outcome,
    r.deadline AS deadline,
    s.kind AS schedule_kind,
    s.due AS due,
    s.frequencies AS frequencies,
    r.index_name AS index_name,
    r.index_component_code AS index_component_code,
    r.index_component_name AS index_component_name,
    r.pages AS pages
FROM plan_rows r
JOIN documents d ON d.id = r.document_id
LEFT JOIN schedules s ON s.row_id = r.id
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
    r.section_path AS section_path,
    r.deadline AS deadline,
    s.kind AS schedule_kind,
    s.due AS due,
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
"""

# Every dated assignment per unit, soonest first; analysts add `WHERE due >= CURRENT_DATE`
# for what is still ahead (old plans would otherwise show nothing).
UPCOMING_DEADLINES = """
CREATE VIEW upcoming_deadlines AS
SELECT
    ua.unit AS unit,
    ua.unit_id AS unit_id,
    ua.role AS role,
    ua.due AS due,
    ua.deadline AS deadline,
    ua.document_id AS document_id,
    ua.file_name AS file_name,
    ua.symbol AS symbol,
    ua.tt AS tt,
    ua.task AS task,
    ua.row_id AS row_id
FROM unit_assignments ua
WHERE ua.due IS NOT NULL
ORDER BY ua.due, ua.unit, ua.role, ua.document_id, ua.row_id
"""


def upgrade() -> None:
    op.execute(ASSIGNMENTS)
    op.execute(UNIT_ASSIGNMENTS)
    op.execute(UPCOMING_DEADLINES)


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS upcoming_deadlines")
    op.execute("DROP VIEW IF EXISTS unit_assignments")
    op.execute("DROP VIEW IF EXISTS assignments")
