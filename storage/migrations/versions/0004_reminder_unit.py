"""reminder unit: the unit a reminder is for, as a column rather than inside its dedupe key

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 03:16:02.298966
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_reminder_unit_id'), ['unit_id'], unique=False)
        batch_op.create_foreign_key(
            'fk_reminder_unit_id_unit', 'unit', ['unit_id'], ['id'], ondelete='SET NULL'
        )
    # Rows written before this revision name their unit in the key "u:chat:occurrence:unit:step".
    connection = op.get_bind()
    rows = connection.execute(
        sa.text("SELECT id, dedupe_key FROM reminder WHERE dedupe_key LIKE 'u:%'")
    ).all()
    for row_id, key in rows:
        parts = key.split(":")
        if len(parts) == 5 and parts[3].isdigit():
            connection.execute(
                sa.text(
                    "UPDATE reminder SET unit_id = :unit WHERE id = :id"
                    " AND EXISTS (SELECT 1 FROM unit WHERE unit.id = :unit)"
                ),
                {"unit": int(parts[3]), "id": row_id},
            )


def downgrade() -> None:
    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.drop_constraint('fk_reminder_unit_id_unit', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_reminder_unit_id'))
        batch_op.drop_column('unit_id')
