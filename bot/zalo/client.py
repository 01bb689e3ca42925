"""A thin async client of the Zalo Bot API on httpx: one call path, one exception tree.

Every method goes through ``_call``, which POSTs JSON to ``{api_base_url}/bot{token}/
{method}``, checks the envelope's ``ok`` even on HTTP 200, and turns every failure into
an exception of ``bot.zalo.errors``. The token sits in the URL, so it is scrubbed from
every exception text and from httpx's own log lines (httpx logs each request URL at
INFO). Limits the API states are enforced before sending, so a bad request fails here
with a clear message instead of coming back as an API error.

What the adapter gets: ``get_updates`` for polling (one update or None),
``set_webhook``/``delete_webhook``/``get_webhook_info`` for webhook mode,
``send_message``/``send_photo``/``send_chat_action`` to answer, ``text_length`` and
``MAX_TEXT_LENGTH`` to split long replies the way the limit is counted here.
"""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType
from typing import Any
from urllib.parse import quote

import httpx

from bot.zalo.errors import (
    ZaloApiError,
    ZaloAuthenticationError,
    ZaloCommunicationError,
    ZaloInvalidRequest,
    ZaloRateLimited,
    ZaloServerError,
)
from bot.zalo.updates import ZaloUpdate, epoch_to_utc, parse_update

logger = logging.getLogger(__name__)

DEFAULT_API_BASE_URL = "https://bot-api.zaloplatforms.com"
MAX_TEXT_LENGTH = 2000
SECRET_LENGTHS = range(8, 257)
PARSE_MODES = ("markdown", "html")
# The read timeout of a poll must exceed the poll's own timeout, or every idle poll
# would end as our timeout instead of the API's 408.
MIN_POLL_READ_MARGIN = 5.0
_IDLE = object()  # getUpdates answered "nothing new"


def text_length(text: str) -> int:
    """The length of ``text`` as the 2000-character limit is counted here.

    Which unit Zalo counts is not documented; UTF-16 code units (what a Java or
    JavaScript server counts) are never fewer than code points, so a text within this
    length is within the limit on either reading. Vietnamese letters are one unit each
    in NFC; an emoji is two.
    """
    return len(text.encode("utf-16-le")) // 2


class _TokenScrubber(logging.Filter):
    """Replaces known tokens in log records of the ``httpx`` logger before any handler."""

    def __init__(self) -> None:
        super().__init__()
        self.tokens: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if self.tokens:
            message = record.getMessage()
            scrubbed = _scrub(message, self.tokens)
            if scrubbed != message:
                record.msg, record.args = scrubbed, None
        return True


def _scrub(text: str, tokens: set[str] | frozenset[str]) -> str:
    for token in tokens:
        # httpx may show the token as typed or percent-encoded in a URL.
        for form in {token, quote(token, safe=""), quote(token, safe=":")}:
            text = text.replace(form, "<token>")
    return text


_scrubber = _TokenScrubber()
logging.getLogger("httpx").addFilter(_scrubber)


@dataclass(frozen=True)
class ZaloBot:
    """The bot's own account, from getMe."""

    id: str
    account_name: str
    display_name: str
    account_type: str
    can_join_groups: bool
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class WebhookInfo:
    """The webhook the API knows; ``url`` is empty when there is none (polling)."""

    url: str
    updated_at: datetime | None


def _webhook_info(result: Any) -> WebhookInfo:
    result = result if isinstance(result, dict) else {}
    return WebhookInfo(
        url=str(result.get("url") or ""), updated_at=epoch_to_utc(result.get("updated_at"))
    )


def _is_web_url(url: str) -> bool:
    return isinstance(url, str) and url.startswith(("https://", "http://")) and len(url) > 8


def _retry_after(envelope: dict[str, Any], response: httpx.Response) -> float | None:
    parameters = envelope.get("parameters")
    for value in (
        parameters.get("retry_after") if isinstance(parameters, dict) else None,
        envelope.get("retry_after"),
        response.headers.get("Retry-After"),
    ):
        try:
            return float(value) if value is not None else None
        except (TypeError, ValueError):
            continue
    return None


class ZaloClient:
    """The Zalo Bot API for one bot token. Use as ``async with ZaloClient(...) as zalo``
    or call ``aclose()``. ``transport`` lets tests and proxies replace the network;
    ``auth_error_codes`` are the codes that mean "token refused" (unconfirmed for Zalo:
    401 and 403 as on Telegram)."""

    def __init__(
        self,
        token: str,
        api_base_url: str = DEFAULT_API_BASE_URL,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 20.0,
        poll_read_margin: float = 10.0,
        auth_error_codes: tuple[int, ...] = (401, 403),
    ) -> None:
        if (
            not isinstance(token, str)
            or not token.strip()
            or any(char.isspace() or char in "/?#%" for char in token)
        ):
            raise ZaloAuthenticationError(
                "the Zalo bot token is empty or malformed (expected <bot_id>:<secret>)"
            )
        if not _is_web_url(api_base_url):
            raise ZaloInvalidRequest(f"api_base_url must be an http(s) URL, not {api_base_url!r}")
        if poll_read_margin < MIN_POLL_READ_MARGIN:
            raise ZaloInvalidRequest(
                f"poll_read_margin must be at least {MIN_POLL_READ_MARGIN} s, "
                f"not {poll_read_margin}"
            )
        self._token = token
        self._tokens = frozenset({token})
        _scrubber.tokens.add(token)
        self._base = api_base_url.rstrip("/")
        self._timeout = timeout
        self._poll_read_margin = poll_read_margin
        self._auth_codes = frozenset(auth_error_codes)
        self._http = httpx.AsyncClient(transport=transport, timeout=httpx.Timeout(timeout))
        # A getUpdates answer holding several updates (not seen, but cheap to survive):
        # the extra ones are handed out by the next calls, so none is lost.
        self._pending: deque[ZaloUpdate] = deque()

    @property
    def api_base_url(self) -> str:
        return self._base

    async def __aenter__(self) -> ZaloClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # --- the API ---------------------------------------------------------------

    async def get_me(self) -> ZaloBot:
        result = await self._call("getMe", {})
        if not isinstance(result, dict) or not result.get("id"):
            raise ZaloCommunicationError("getMe: the answer holds no bot account")
        return ZaloBot(
            id=str(result["id"]),
            account_name=str(result.get("account_name") or ""),
            display_name=str(result.get("display_name") or result.get("account_name") or ""),
            account_type=str(result.get("account_type") or ""),
            can_join_groups=bool(result.get("can_join_groups")),
            raw=result,
        )

    async def get_updates(self, timeout: int = 30) -> ZaloUpdate | None:
        """Wait up to ``timeout`` s for the next update; None when nothing came (HTTP 408).

        Zalo has no offset: an update may come again on a later poll, so the caller
        must recognise a ``message_id`` it has seen. A payload that is no update at all
        raises ``ZaloInvalidUpdate`` (not transient): log it and poll on.
        """
        if self._pending:
            return self._pending.popleft()
        if isinstance(timeout, bool) or not isinstance(timeout, int) or timeout < 0:
            raise ZaloInvalidRequest(f"getUpdates: timeout must be whole seconds, not {timeout!r}")
        http_timeout = httpx.Timeout(self._timeout, read=timeout + self._poll_read_margin)
        result = await self._call(
            "getUpdates", {"timeout": timeout}, timeout=http_timeout, idle_means_nothing=True
        )
        if result is _IDLE or not result:
            return None
        if isinstance(result, list):
            self._pending.extend(parse_update(item) for item in result[1:])
            result = result[0]
        return parse_update(result)

    async def set_webhook(self, url: str, secret_token: str) -> WebhookInfo:
        """Have Zalo POST updates to ``url`` (public HTTPS) with ``secret_token`` in the
        ``X-Bot-Api-Secret-Token`` header. Polling stops working until ``delete_webhook``."""
        if not _is_web_url(url):
            raise ZaloInvalidRequest(f"setWebhook: the webhook URL must be https://, not {url!r}")
        if (
            not isinstance(secret_token, str)
            or len(secret_token) not in SECRET_LENGTHS
            or not all("!" <= char <= "~" for char in secret_token)
        ):
            # Printable ASCII only: the secret travels back in an HTTP header.
            raise ZaloInvalidRequest(
                "setWebhook: the secret must be 8 to 256 printable ASCII characters without spaces"
            )
        result = await self._call("setWebhook", {"url": url, "secret_token": secret_token})
        return _webhook_info(result)

    async def delete_webhook(self) -> WebhookInfo:
        return _webhook_info(await self._call("deleteWebhook", {}))

    async def get_webhook_info(self) -> WebhookInfo:
        return _webhook_info(await self._call("getWebhookInfo", {}))

    async def send_message(self, chat_id: str, text: str, *, parse_mode: str | None = None) -> str:
        """Send ``text`` (1 to 2000 characters) as plain text, or formatted when
        ``parse_mode`` is "markdown" or "html". Returns the message_id ("" if not given)."""
        chat_id = self._chat_id("sendMessage", chat_id)
        if not isinstance(text, str) or not text.strip():
            raise ZaloInvalidRequest(
                f"sendMessage: the text is empty; Zalo needs 1 to {MAX_TEXT_LENGTH} characters"
            )
        if (length := text_length(text)) > MAX_TEXT_LENGTH:
            raise ZaloInvalidRequest(
                f"sendMessage: the text is {length} characters long, Zalo takes at most "
                f"{MAX_TEXT_LENGTH}: split it before sending"
            )
        body: dict[str, Any] = {"chat_id": chat_id, "text": text}
        if parse_mode is not None:
            if parse_mode not in PARSE_MODES:
                raise ZaloInvalidRequest(f"sendMessage: parse_mode must be one of {PARSE_MODES}")
            body["parse_mode"] = parse_mode
        return self._message_id(await self._call("sendMessage", body))

    async def send_photo(self, chat_id: str, photo_url: str, caption: str | None = None) -> str:
        """Send the image found at ``photo_url`` (Zalo takes a URL, not bytes)."""
        chat_id = self._chat_id("sendPhoto", chat_id)
        if not _is_web_url(photo_url):
            raise ZaloInvalidRequest("sendPhoto: the photo must be an http(s) URL of an image")
        body: dict[str, Any] = {"chat_id": chat_id, "photo": photo_url}
        if caption is not None and caption.strip():
            if (length := text_length(caption)) > MAX_TEXT_LENGTH:
                raise ZaloInvalidRequest(
                    f"sendPhoto: the caption is {length} characters long, Zalo takes at most "
                    f"{MAX_TEXT_LENGTH}"
                )
            body["caption"] = caption
        return self._message_id(await self._call("sendPhoto", body))

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> None:
        chat_id = self._chat_id("sendChatAction", chat_id)
        if not isinstance(action, str) or not action:
            raise ZaloInvalidRequest("sendChatAction: the action is empty")
        await self._call("sendChatAction", {"chat_id": chat_id, "action": action})

    # --- the one call path -------------------------------------------------------

    @staticmethod
    def _chat_id(method: str, chat_id: str) -> str:
        text = str(chat_id).strip() if isinstance(chat_id, str | int) else ""
        if not text:
            raise ZaloInvalidRequest(f"{method}: chat_id is empty")
        return text

    @staticmethod
    def _message_id(result: Any) -> str:
        # The message is out once ok is true: a missing id must not turn into an error,
        # or the caller would send it again.
        if isinstance(result, dict) and result.get("message_id") is not None:
            return str(result["message_id"])
        return ""

    async def _call(
        self,
        method: str,
        body: dict[str, Any],
        *,
        timeout: httpx.Timeout | None = None,
        idle_means_nothing: bool = False,
    ) -> Any:
        """POST one method and return its ``result``, or raise a ``ZaloError``.

        httpx errors are caught and re-raised *after* the ``except`` block, so the new
        exception has no ``__context__`` holding the request URL (and so the token).
        """
        url = f"{self._base}/bot{self._token}/{method}"
        failure: str | None = None
        response: httpx.Response | None = None
        try:
            response = await self._http.post(
                url, json=body, timeout=timeout if timeout is not None else self._http.timeout
            )
        except httpx.TimeoutException as error:
            failure = f"no answer in time ({type(error).__name__})"
        except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as error:
            failure = f"{type(error).__name__}: {error}"
        if failure is not None or response is None:
            logger.debug("Zalo %s failed: %s", method, self._scrub(failure or ""))
            raise ZaloCommunicationError(self._scrub(f"{method}: {failure}"))
        status = response.status_code
        try:
            envelope = response.json()
        except ValueError:
            envelope = None
        if not isinstance(envelope, dict) or "ok" not in envelope:
            return self._not_the_api(method, status, response, idle_means_nothing)
        if envelope.get("ok") is True and status < 400:
            logger.debug("Zalo %s: ok", method)
            return envelope.get("result")
        code = envelope.get("error_code")
        if isinstance(code, bool) or not isinstance(code, int):
            code = status if status >= 400 else 0
        description = self._scrub(str(envelope.get("description") or "no description"))
        logger.debug("Zalo %s: error %s (%s)", method, code, description)
        if idle_means_nothing and 408 in (code, status):
            return _IDLE
        if code in self._auth_codes or status in (401, 403):
            raise ZaloAuthenticationError(
                f"{method}: Zalo refused the bot token ({code}: {description})", code
            )
        if 429 in (code, status):
            retry_after = _retry_after(envelope, response)
            raise ZaloRateLimited(method, code, description, status, retry_after)
        if code >= 500 or status >= 500:
            raise ZaloServerError(method, code, description, status)
        raise ZaloApiError(method, code, description, status)

    def _not_the_api(
        self, method: str, status: int, response: httpx.Response, idle_means_nothing: bool
    ) -> Any:
        """An answer without the API's envelope: a proxy's page, a gateway error."""
        if idle_means_nothing and status == 408:
            return _IDLE
        if status in (401, 403) or status in self._auth_codes:
            raise ZaloAuthenticationError(f"{method}: Zalo refused the bot token (HTTP {status})")
        description = f"HTTP {status}, the answer is not the API's JSON"
        if status == 429:
            raise ZaloRateLimited(method, status, description, status, _retry_after({}, response))
        if status >= 500:
            raise ZaloServerError(method, status, description, status)
        raise ZaloCommunicationError(f"{method}: {description}")

    def _scrub(self, text: str) -> str:
        return _scrub(text, self._tokens)
