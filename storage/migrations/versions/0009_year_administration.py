"""year administration: archived plans, invites for several officers, admissions

Revision ID: 0009
Revises: 0007
Create Date: 2026-11-24 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = '0009'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN, not a batch: on SQLite a batch copies the table and drops the old
    # one, and dropping ``plan`` would cascade to its units.
    op.add_column(
        'plan', sa.Column('archived', sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.add_column(
        'invitecode', sa.Column('uses', sa.Integer(), nullable=False, server_default='1')
    )
    op.add_column(
        'invitecode', sa.Column('used_count', sa.Integer(), nullable=False, server_default='0')
    )
    op.add_column(
        'invitecode',
        sa.Column('revoked_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    )
    # A code used before this revision counts as used up.
    op.execute("UPDATE invitecode SET used_count = 1 WHERE used_at IS NOT NULL")
    op.create_table(
        'admission',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('platform', sa.String(length=16), nullable=False),
        sa.Column('user_id', sa.String(length=64), nullable=False),
        sa.Column('display_name', sa.Text(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('chat_id', sa.String(length=64), nullable=False),
        sa.Column('asked_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('decided_at', storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['decided_by_id'], ['member.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('platform', 'user_id', 'unit_id', name='uq_admission_who_unit'),
    )
    with op.batch_alter_table('admission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_admission_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index(
            batch_op.f('ix_admission_decided_by_id'), ['decided_by_id'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('admission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_admission_decided_by_id'))
        batch_op.drop_index(batch_op.f('ix_admission_unit_id'))
    op.drop_table('admission')
    with op.batch_alter_table('invitecode', schema=None) as batch_op:
        batch_op.drop_column('revoked_at')
        batch_op.drop_column('used_count')
        batch_op.drop_column('uses')
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.drop_column('archived')
