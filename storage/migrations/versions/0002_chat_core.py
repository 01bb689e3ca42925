"""chat core: guided-flow conversations, wrong invite codes, plan-scoped coordinators

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 01:55:21.910593
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('conversation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('chat_id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('step', sa.String(length=32), nullable=False),
    sa.Column('data', sa.Text(), nullable=False),
    sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('platform', 'chat_id', 'user_id', name='uq_conversation_who')
    )
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversation_updated_at'), ['updated_at'], unique=False)

    op.create_table('failedcode',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('failedcode', schema=None) as batch_op:
        batch_op.create_index('ix_failedcode_who_at', ['platform', 'user_id', 'at'], unique=False)

    with op.batch_alter_table('invitecode', schema=None) as batch_op:
        batch_op.add_column(sa.Column('plan_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_invitecode_plan_id'), ['plan_id'], unique=False)
        batch_op.create_foreign_key(
            'fk_invitecode_plan_id_plan', 'plan', ['plan_id'], ['id'], ondelete='CASCADE'
        )

    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('plan_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_member_plan_id'), ['plan_id'], unique=False)
        batch_op.create_foreign_key(
            'fk_member_plan_id_plan', 'plan', ['plan_id'], ['id'], ondelete='CASCADE'
        )


def downgrade() -> None:
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_constraint('fk_member_plan_id_plan', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_member_plan_id'))
        batch_op.drop_column('plan_id')

    with op.batch_alter_table('invitecode', schema=None) as batch_op:
        batch_op.drop_constraint('fk_invitecode_plan_id_plan', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_invitecode_plan_id'))
        batch_op.drop_column('plan_id')

    with op.batch_alter_table('failedcode', schema=None) as batch_op:
        batch_op.drop_index('ix_failedcode_who_at')

    op.drop_table('failedcode')
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversation_updated_at'))

    op.drop_table('conversation')
