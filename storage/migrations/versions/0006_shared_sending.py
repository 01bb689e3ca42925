"""shared sending: one send budget for every process, replies queued with their update, and
since when a reminder fails

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('failing_since', storage.types.UTCDateTime(timezone=True), nullable=True)
        )
    op.create_table('send_pace',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('next_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('outgoing_reply',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('chat_id', sa.String(length=64), nullable=False),
    sa.Column('update_key', sa.String(length=128), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('next_attempt_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('claimed_by', sa.String(length=64), nullable=True),
    sa.Column('claimed_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('sent_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('outgoing_reply', schema=None) as batch_op:
        batch_op.create_index('ix_outgoing_reply_state_platform', ['state', 'platform'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('outgoing_reply', schema=None) as batch_op:
        batch_op.drop_index('ix_outgoing_reply_state_platform')
    op.drop_table('outgoing_reply')
    op.drop_table('send_pace')
    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.drop_column('failing_since')
