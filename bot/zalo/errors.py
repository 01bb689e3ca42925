"""The exception tree of the Zalo client: every failure of a call is one of these.

The adapter needs to answer two questions about a failed call, and the tree answers
them without it looking at HTTP: *is it worth trying again* (``transient``) and *is the
configuration wrong* (``ZaloAuthenticationError``). No text here ever carries the bot
token: the client scrubs it before building the message.

    ZaloError
    ├── ZaloCommunicationError    network down, timeout, an answer that is not the API's JSON
    ├── ZaloAuthenticationError   the token is refused (or malformed)
    ├── ZaloInvalidRequest        refused by the client before sending (text too long, ...)
    └── ZaloApiError              the API said ok=false: error_code and description
        ├── ZaloRateLimited       429, with retry_after when the API gives it
        └── ZaloServerError       5xx: the API is down or failing for a while
"""

from __future__ import annotations


class ZaloError(Exception):
    """Any failure of a Zalo Bot API call."""

    #: Whether the same call may succeed if tried again later (after a pause).
    transient = False


class ZaloCommunicationError(ZaloError):
    """The API could not be reached, did not answer in time, or answered something else
    than its JSON envelope (a proxy's HTML page, a cut connection)."""

    transient = True


class ZaloAuthenticationError(ZaloError):
    """The API refused the token (HTTP 401/403 or the same error codes), or the token given
    to the client cannot be a token at all. Trying again will not help: fix the config."""

    def __init__(self, message: str, error_code: int | None = None) -> None:
        super().__init__(message)
        self.error_code = error_code


class ZaloInvalidRequest(ZaloError, ValueError):
    """The client refused to send a request the API would refuse (or mangle): an empty
    text or one over the length limit, a secret of the wrong length, a photo that is not
    a URL. It is the caller's bug, so nothing was sent."""


class ZaloApiError(ZaloError):
    """The API answered ``{"ok": false, "error_code": N, "description": "..."}``."""

    def __init__(
        self, method: str, error_code: int, description: str, http_status: int | None = None
    ) -> None:
        super().__init__(f"{method}: Zalo API error {error_code}: {description}")
        self.method = method
        self.error_code = error_code
        self.description = description
        self.http_status = http_status

    @property
    def transient(self) -> bool:  # type: ignore[override]
        # 408 outside getUpdates is the server giving up on a slow request: try again.
        return self.error_code in (408, 429) or self.error_code >= 500


class ZaloRateLimited(ZaloApiError):
    """Too many requests (429). ``retry_after`` is in seconds, None when not given."""

    def __init__(
        self,
        method: str,
        error_code: int,
        description: str,
        http_status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(method, error_code, description, http_status)
        self.retry_after = retry_after


class ZaloServerError(ZaloApiError):
    """The API failed on its side (HTTP or error code 5xx)."""
