"""notification outbox

Revision ID: 0010
Revises: 0011
Create Date: 2026-12-06 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.core.crypto
import app.core.types


revision: str = '0010'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('notification',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('recipient_user_id', sa.Uuid(), nullable=True),
    sa.Column('recipient_email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('hub_id', sa.Uuid(), nullable=True),
    sa.Column('template', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('locale', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('dedup_key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('body_text', app.core.crypto.EncryptedText(), nullable=False),
    sa.Column('body_html', app.core.crypto.EncryptedText(), nullable=False),
    sa.Column('attachment_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('attachment', app.core.crypto.EncryptedText(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('next_attempt_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('claimed_until', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('sent_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['hub_id'], ['hub.id'], name=op.f('fk_notification_hub_id_hub')),
    sa.ForeignKeyConstraint(['recipient_user_id'], ['user.id'], name=op.f('fk_notification_recipient_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification')),
    sa.UniqueConstraint('dedup_key', name=op.f('uq_notification_dedup_key'))
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index('ix_notification_created_at_id', ['created_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_hub_id'), ['hub_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_recipient_user_id'), ['recipient_user_id'], unique=False)
        batch_op.create_index('ix_notification_status_next_attempt_at', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_template'), ['template'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_template'))
        batch_op.drop_index('ix_notification_status_next_attempt_at')
        batch_op.drop_index(batch_op.f('ix_notification_recipient_user_id'))
        batch_op.drop_index(batch_op.f('ix_notification_hub_id'))
        batch_op.drop_index('ix_notification_created_at_id')

    op.drop_table('notification')
