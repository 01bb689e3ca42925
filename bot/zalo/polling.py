"""Receiving from Zalo by polling: ``getUpdates`` one update at a time, in a loop.

Polling and a webhook exclude each other on Zalo, so the loop first deletes any webhook.
Then it asks for the next update, waiting up to ``poll_timeout`` seconds on Zalo's side;
an idle poll (HTTP 408) is simply asked again. After any error the loop pauses at least
one second (doubling up to 30 s while errors go on), so a broken network or API is not
hammered. A payload that is not an update is logged and skipped; an update the adapter
fails on is logged; neither stops the loop. A refused token does stop it (raised from
``run``): nothing will work until the operator fixes the configuration.

Two ways to run it inside the bot's event loop: ``await poller.run(stop_event)`` until
the event is set, or ``await poller.start()`` ... ``await poller.stop()``. Stopping lets
the poll under way end (at most ``poll_timeout`` seconds): Zalo has no acknowledgement,
so an update it is handing to a poll dropped at that moment would be lost. The update
that poll brings, like one being handled, is handled before the loop ends. Cancelling
the task stops at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from bot.per_chat import PerChatQueue
from bot.zalo.adapter import Outcome, ZaloAdapter
from bot.zalo.client import ZaloClient
from bot.zalo.errors import ZaloApiError, ZaloAuthenticationError, ZaloError
from bot.zalo.updates import ZaloInvalidUpdate, ZaloUpdate

logger = logging.getLogger(__name__)

MIN_ERROR_PAUSE = 1.0
MAX_ERROR_PAUSE = 30.0
_STOPPED = object()


class ZaloPoller:
    """The polling loop of one bot token."""

    def __init__(
        self,
        client: ZaloClient,
        adapter: ZaloAdapter,
        *,
        poll_timeout: int = 30,
        error_pause: float = MIN_ERROR_PAUSE,
        stop_grace: float | None = None,
    ) -> None:
        if error_pause < MIN_ERROR_PAUSE:
            raise ValueError(f"error_pause must be at least {MIN_ERROR_PAUSE} s")
        self.client = client
        self.adapter = adapter
        self.poll_timeout = poll_timeout
        self.error_pause = error_pause
        # How long a stop waits for the poll under way (Zalo answers it within its timeout).
        self.stop_grace = poll_timeout + 5.0 if stop_grace is None else stop_grace
        self._stop: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        # Updates are handled while the next poll runs: chats at once, each in order.
        self._chats = PerChatQueue()
        self._handling: set[asyncio.Task[bool]] = set()
        self._failed = False

    async def start(self) -> None:
        """Run the loop in a task of the running event loop."""
        if self._task is not None and not self._task.done():
            return
        self._stop = asyncio.Event()
        self._task = asyncio.create_task(self.run(self._stop), name="zalo-polling")

    async def stop(self) -> None:
        """Stop the loop started by ``start`` and wait for it (an error it met is raised)."""
        if self._task is None or self._stop is None:
            return
        self._stop.set()
        task, self._task = self._task, None
        await task

    async def run(self, stop: asyncio.Event | None = None) -> None:
        """Poll until ``stop`` is set (or the task is cancelled)."""
        stop = stop or asyncio.Event()
        failures = 0
        prepared = False
        while not stop.is_set():
            try:
                if not prepared:
                    await self.client.delete_webhook()  # polling gets nothing while one is set
                    prepared = True
                    logger.info("zalo: polling for updates")
                update = await self._next(stop)
            except ZaloAuthenticationError:
                logger.error("zalo: the bot token is refused; polling stops")
                raise
            except ZaloInvalidUpdate as error:
                logger.warning("zalo: a payload that is not an update was skipped: %s", error)
                failures += 1
            except ZaloError as error:
                failures += 1
                if isinstance(error, ZaloApiError) and error.error_code == 409:
                    prepared = False  # a webhook was set meanwhile: delete it again
                logger.warning("zalo: polling failed (%s); trying again", error)
            else:
                if update is _STOPPED:
                    break
                failures = 0
                if isinstance(update, ZaloUpdate):
                    self._dispatch(update)
                if not self._failed:
                    continue  # poll again at once; the update is handled meanwhile
                self._failed = False
                failures = 1
            await self._pause(stop, failures)
        if self._handling:  # finish the updates taken before stopping
            await asyncio.gather(*self._handling, return_exceptions=True)
        logger.info("zalo: polling stopped")

    @property
    def busy(self) -> bool:
        """Whether some update taken is still being handled."""
        return bool(self._handling)

    def _dispatch(self, update: ZaloUpdate) -> None:
        """Handle ``update`` in a task, in its chat's turn; a failure pauses the next poll."""
        task = self._chats.submit(update.chat_id or "-", self._handle(update))
        self._handling.add(task)

        def done(finished: asyncio.Task[bool]) -> None:
            self._handling.discard(finished)
            if finished.cancelled() or not finished.result():
                self._failed = True

        task.add_done_callback(done)

    async def _handle(self, update: ZaloUpdate) -> bool:
        """Hand the update to the adapter; False when it failed (pause before the next)."""
        try:
            return await self.adapter.handle_update(update) != Outcome.FAILED
        except Exception:  # the adapter catches its own; this loop must outlive a bug there
            logger.exception("zalo: update %s broke the adapter", update.message_id)
            return False

    async def _next(self, stop: asyncio.Event) -> ZaloUpdate | object | None:
        """The next update, None after an idle poll, ``_STOPPED`` when a stop had to drop
        the poll (it outlasted ``stop_grace``)."""
        poll = asyncio.ensure_future(self.client.get_updates(self.poll_timeout))
        stopped = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait({poll, stopped}, return_when=asyncio.FIRST_COMPLETED)
            if not poll.done():
                await asyncio.wait({poll}, timeout=self.stop_grace)
        finally:
            for task in (poll, stopped):
                if not task.done():
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
        if poll.cancelled():
            return _STOPPED
        return poll.result()

    async def _pause(self, stop: asyncio.Event, failures: int) -> None:
        seconds = min(self.error_pause * 2 ** max(failures - 1, 0), MAX_ERROR_PAUSE)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=seconds)
