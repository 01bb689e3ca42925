"""unit extensions: requests to move a unit's deadline, and the deadlines so moved

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'extensionrequest',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('occurrence_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('wanted_due_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('platform', sa.String(length=16), nullable=False),
        sa.Column('chat_id', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.String(length=64), nullable=False),
        sa.Column('display_name', sa.Text(), nullable=False),
        sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('decided_by', sa.String(length=64), nullable=True),
        sa.Column('decided_at', storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('answer', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['occurrence_id'], ['occurrence.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('extensionrequest', schema=None) as batch_op:
        batch_op.create_index('ix_extensionrequest_occurrence_id', ['occurrence_id'], unique=False)
        batch_op.create_index('ix_extensionrequest_unit_id', ['unit_id'], unique=False)
    op.create_table(
        'dueoverride',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('occurrence_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('due_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('extension_id', sa.Integer(), nullable=True),
        sa.Column('set_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['occurrence_id'], ['occurrence.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(
            ['extension_id'], ['extensionrequest.id'], ondelete='SET NULL'
        ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('occurrence_id', 'unit_id', name='uq_dueoverride_occurrence_unit'),
    )
    with op.batch_alter_table('dueoverride', schema=None) as batch_op:
        batch_op.create_index('ix_dueoverride_occurrence_id', ['occurrence_id'], unique=False)
        batch_op.create_index('ix_dueoverride_unit_id', ['unit_id'], unique=False)
        batch_op.create_index('ix_dueoverride_extension_id', ['extension_id'], unique=False)


def downgrade() -> None:
    op.drop_table('dueoverride')
    op.drop_table('extensionrequest')
