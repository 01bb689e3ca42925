"""platform updates: updates already taken (Zalo re-delivers), messages sent per month

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('seenupdate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('key', sa.String(length=128), nullable=False),
    sa.Column('seen_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('platform', 'key', name='uq_seenupdate_platform_key')
    )
    with op.batch_alter_table('seenupdate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seenupdate_seen_at'), ['seen_at'], unique=False)

    op.create_table('outboundcount',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('platform', 'month', name='uq_outboundcount_platform_month')
    )


def downgrade() -> None:
    op.drop_table('outboundcount')
    with op.batch_alter_table('seenupdate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seenupdate_seen_at'))

    op.drop_table('seenupdate')
