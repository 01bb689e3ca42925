"""/xem (/view): the leaders' page of the sender's plans, opened from the chat.

On Telegram the answer carries a button that opens the page as a Mini App: Telegram
signs who opened it, and the page checks that (``bot.pages.tokens.check_init_data``).
On Zalo and in the terminal the answer is a link signed for the sender, good for 15
minutes. Either way the page shows what the sender may see in the chat, read again at
each view: a leader or coordinator their plans, an officer their unit's tasks. In a
private chat only: a link in a group would show one person's page to everyone there.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from bot.core.commands import Audience, Place, command
from bot.core.context import Turn
from bot.core.types import WebApp
from bot.pages.tokens import LINK_LIFETIME, sign
from messages import pages as texts

MINI_APP_PATH = "/xem/app"
PAGE_PATH = "/xem"


@command(
    "xem",
    aliases=("view",),
    audience=Audience.ANYONE,
    places=frozenset({Place.PRIVATE}),
    order=112,
)
def xem(turn: Turn, args: str, picks: dict[str, Any]) -> None:
    """Open the page of the sender's plans: a Mini App button on Telegram, else a signed link."""
    if not turn.registered:
        turn.say(texts.view_not_registered())
        turn.record("refused", "/xem: not registered")
        return
    base = turn.settings.page_url.rstrip("/")
    if not base or not turn.settings.page_secret:
        turn.say(texts.view_unavailable())
        turn.record("refused", "/xem: no page configured")
        return
    message = turn.message
    if message.platform == "telegram":
        turn.open_page(texts.view_mini_app(), WebApp(texts.view_button(), base + MINI_APP_PATH))
        turn.record("page.link", "telegram mini app")
        return
    token = sign(turn.settings.page_secret, message.platform, message.sender_id, turn.now)
    minutes = int(LINK_LIFETIME.total_seconds() // 60)
    turn.say(texts.view_link(f"{base}{PAGE_PATH}?t={quote(token)}", minutes))
    turn.record("page.link", message.platform)
