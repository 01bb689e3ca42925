"""What the chat core is told at start: operators, invite lifetime, language, flow timeout,
where the leaders' page is.

Built from the operator's configuration by whoever starts the core
(``bot.runtime.core_settings``); the core itself never reads files or the environment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta


@dataclass(frozen=True)
class CoreSettings:
    """``operators`` maps a platform ("telegram", "zalo", "console") to the user ids of its
    operators, who may use every command."""

    operators: Mapping[str, frozenset[str]] = field(default_factory=dict)
    invite_ttl: timedelta = timedelta(days=7)
    default_language: str = "vi"
    flow_timeout: timedelta = timedelta(minutes=30)
    wrong_codes_allowed: int = 5
    wrong_codes_window: timedelta = timedelta(hours=1)
    note_limit: int = 1000
    evidence_limit: int = 10
    page_url: str = ""  # where the leaders' page is served ("": no page, /xem says so)
    page_secret: str = field(default="", repr=False)  # signs the page links (bot.pages.tokens)

    def is_operator(self, platform: str, user_id: str) -> bool:
        return user_id in self.operators.get(platform, frozenset())
