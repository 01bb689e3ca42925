"""plans as documents: a period of years, the issue date, events, products, sub-tasks

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_year', sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column('issued_at', storage.types.UTCDateTime(timezone=True), nullable=True)
        )

    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('event', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('event_days', sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column('event_closes', sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column('product', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('funding', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_task_parent_id'), ['parent_id'], unique=False)
        batch_op.create_foreign_key(
            'fk_task_parent_id_task', 'task', ['parent_id'], ['id'], ondelete='SET NULL'
        )

    op.create_table('taskevent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('happened_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('recorded_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('taskevent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_taskevent_task_id'), ['task_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('taskevent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_taskevent_task_id'))
    op.drop_table('taskevent')

    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_constraint('fk_task_parent_id_task', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_task_parent_id'))
        batch_op.drop_column('parent_id')
        batch_op.drop_column('funding')
        batch_op.drop_column('product')
        batch_op.drop_column('event_closes')
        batch_op.drop_column('event_days')
        batch_op.drop_column('event')

    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.drop_column('issued_at')
        batch_op.drop_column('last_year')
