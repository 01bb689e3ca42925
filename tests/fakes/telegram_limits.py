"""Telegram's flood control, for the fake Bot API server: off until a test turns it on.

Telegram answers 429 ("Too Many Requests: retry after N", with ``parameters.retry_after``)
to a bot that sends more than 30 messages in any second overall, more than one a second
to one private chat, or more than 20 a minute to one group. ``FloodControl`` keeps the
instants of the messages the fake delivered and refuses the next one the same way,
with ``retry_after`` the whole seconds until it would fit. ``flood_for(seconds)`` makes
every message refused for a while, as Telegram does to a bot it has flagged, with an
honest ``retry_after`` (the seconds left) or a fixed one.

It also counts what a benchmark or a test reads afterwards: the messages delivered in
each second, the most in any one-second window, the 429s answered, and the messages
delivered more than once to one chat with the same text. Instants are the machine's
monotonic time: the limits are about real time, whatever the bot's clock says.
"""

from __future__ import annotations

import math
import time
from collections import Counter, deque
from collections.abc import Callable
from typing import Any

#: The methods that post a message in a chat: the ones Telegram's limits count.
SENDING = frozenset(
    {
        "sendMessage", "sendPhoto", "sendDocument", "sendAudio", "sendVideo", "sendVoice",
        "sendAnimation", "sendSticker", "sendLocation", "sendContact", "sendPoll",
        "sendMediaGroup", "copyMessage", "forwardMessage",
    }
)  # fmt: skip


class FloodControl:
    """Telegram's sending limits and their counters. Not thread-safe: the fake calls it
    under its own lock."""

    def __init__(
        self,
        overall_per_second: int = 30,
        private_per_second: int = 1,
        group_per_minute: int = 20,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.enabled = False
        self.overall_per_second = overall_per_second
        self.private_per_second = private_per_second
        self.group_per_minute = group_per_minute
        self._monotonic = monotonic
        self._recent: deque[float] = deque()  # the last second's messages, overall
        self._chats: dict[int, deque[float]] = {}  # each chat's last minute
        self._flood_until = 0.0
        self._flood_retry_after: int | None = None
        self.delivered: list[tuple[float, int, str]] = []  # (instant, chat id, text)
        self.refused = 0  # 429s answered
        self.refusals: list[tuple[float, int, str]] = []  # (instant, chat id, rule broken)
        self.most_in_a_second = 0

    def flood_for(self, seconds: float, retry_after: int | None = None) -> None:
        """Refuse every message for ``seconds`` from now, with ``retry_after`` (None: the
        whole seconds left, as Telegram says it)."""
        self._flood_until = self._monotonic() + seconds
        self._flood_retry_after = retry_after

    def refusal(self, method: str, chat_id: Any) -> dict[str, Any] | None:
        """Telegram's 429 answer to this message now, or None when it may go."""
        if not self.enabled or method not in SENDING or not isinstance(chat_id, int):
            return None
        now = self._monotonic()
        wait, rule = 0.0, "flood"
        if now < self._flood_until:
            wait = self._flood_retry_after or (self._flood_until - now)
        else:
            self._forget(now)
            if len(self._recent) >= self.overall_per_second:
                wait, rule = self._recent[0] + 1.0 - now, "overall"
            chat = self._chats.get(chat_id, deque())
            if chat_id > 0:
                last_second = [at for at in chat if at > now - 1.0]
                if len(last_second) >= self.private_per_second:
                    wait, rule = max(wait, last_second[0] + 1.0 - now), "chat"
            elif len(chat) >= self.group_per_minute:
                wait, rule = max(wait, chat[0] + 60.0 - now), "group"
        if wait <= 0:
            return None
        self.refused += 1
        self.refusals.append((now, chat_id, rule))
        retry_after = max(1, math.ceil(wait))
        return {
            "ok": False,
            "error_code": 429,
            "description": f"Too Many Requests: retry after {retry_after}",
            "parameters": {"retry_after": retry_after},
        }

    def _forget(self, now: float) -> None:
        while self._recent and self._recent[0] <= now - 1.0:
            self._recent.popleft()
        for chat_id in [c for c, at in self._chats.items() if at and at[-1] <= now - 60.0]:
            del self._chats[chat_id]
        for at in self._chats.values():
            while at and at[0] <= now - 60.0:
                at.popleft()

    def count(self, method: str, chat_id: Any, text: str) -> None:
        """A message the fake delivered (whether or not the limits are on)."""
        if method not in SENDING or not isinstance(chat_id, int):
            return
        now = self._monotonic()
        self._forget(now)
        self._recent.append(now)
        self._chats.setdefault(chat_id, deque()).append(now)
        self.most_in_a_second = max(self.most_in_a_second, len(self._recent))
        self.delivered.append((now, chat_id, text))

    # -- the figures ------------------------------------------------------------------

    def per_second(self) -> list[int]:
        """Messages delivered in each whole second from the first one."""
        if not self.delivered:
            return []
        first = self.delivered[0][0]
        seconds = Counter(int(at - first) for at, _chat, _text in self.delivered)
        return [seconds.get(second, 0) for second in range(max(seconds) + 1)]

    def duplicates(self) -> dict[tuple[int, str], int]:
        """(chat id, text) delivered more than once -> how many times more."""
        counts = Counter((chat, text) for _at, chat, text in self.delivered)
        return {key: count - 1 for key, count in counts.items() if count > 1}

    def rate(self) -> float:
        """Messages a second from the first delivered to the last (0 with fewer than 2)."""
        if len(self.delivered) < 2:
            return 0.0
        span = self.delivered[-1][0] - self.delivered[0][0]
        return (len(self.delivered) - 1) / span if span > 0 else float("inf")
