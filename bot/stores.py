"""The chat core's Store on the database, able to load the plans operators send in chat
and to record the events that tasks wait for.

``storage`` imports nothing above it, so the store gets the scheduler's plan loader and
event recorder here, where every chat (the platforms, the terminal, the demo) builds its
core.
"""

from __future__ import annotations

from sqlalchemy import Engine

from scheduler.events import record_or_refuse
from scheduler.planload import load_plan
from storage.store import SqlStore


def chat_store(engine: Engine) -> SqlStore:
    """The store of a chat core on ``engine``."""
    return SqlStore(engine, plan_loader=load_plan, event_recorder=record_or_refuse)
