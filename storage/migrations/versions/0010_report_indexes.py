"""report indexes: a report and a summary read the latest report per unit and occurrence by index

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 10:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.create_index(
            'ix_report_occurrence_unit_created',
            ['occurrence_id', 'unit_id', 'created_at'],
            unique=False,
        )
        batch_op.create_index(
            'ix_report_unit_occurrence_created',
            ['unit_id', 'occurrence_id', 'created_at'],
            unique=False,
        )
    with op.batch_alter_table('taskassignment', schema=None) as batch_op:
        batch_op.create_index('ix_taskassignment_unit_id', ['unit_id'], unique=False)
    with op.batch_alter_table('unitgroupmember', schema=None) as batch_op:
        batch_op.create_index('ix_unitgroupmember_unit_id', ['unit_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('unitgroupmember', schema=None) as batch_op:
        batch_op.drop_index('ix_unitgroupmember_unit_id')
    with op.batch_alter_table('taskassignment', schema=None) as batch_op:
        batch_op.drop_index('ix_taskassignment_unit_id')
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_index('ix_report_unit_occurrence_created')
        batch_op.drop_index('ix_report_occurrence_unit_created')
