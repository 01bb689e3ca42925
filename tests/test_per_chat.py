"""Chats at once, each chat in order: ``bot.per_chat.PerChatQueue`` and the Telegram
update processor built on it."""

from __future__ import annotations

import asyncio

from telegram import Chat, Message, Update

from bot.per_chat import PerChatQueue
from bot.telegram.concurrency import PerChatUpdateProcessor, chat_key


async def test_a_slow_command_in_one_chat_does_not_hold_up_another_chat():
    queue = PerChatQueue(workers=4)
    done: list[str] = []
    slow_started = asyncio.Event()
    release = asyncio.Event()

    async def slow() -> None:  # a leader's /xuat of a big plan
        slow_started.set()
        await release.wait()
        done.append("leaders /xuat")

    async def quick(name: str) -> None:
        done.append(name)

    first = queue.submit("leaders", slow())
    await slow_started.wait()
    await asyncio.wait_for(queue.run("an", quick("an /giup")), timeout=0.5)
    assert done == ["an /giup"]
    release.set()
    await first
    assert done == ["an /giup", "leaders /xuat"]


async def test_one_chats_messages_keep_their_order_and_the_pool_is_bounded():
    queue = PerChatQueue(workers=2)
    running = 0
    most = 0
    seen: dict[str, list[int]] = {"a": [], "b": [], "c": []}

    async def work(chat: str, number: int) -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.001 * ((number * 7) % 5))  # uneven, to tempt reordering
        seen[chat].append(number)
        running -= 1

    tasks = [queue.submit(chat, work(chat, n)) for n in range(20) for chat in seen]
    await asyncio.gather(*tasks)
    assert all(numbers == list(range(20)) for numbers in seen.values())
    assert most == 2
    assert queue.waiting_chats == 0


async def test_telegram_updates_are_keyed_by_their_chat():
    group = Chat(-100, "supergroup")
    message = Message(1, None, group, text="/tonghop")  # type: ignore[arg-type]
    assert chat_key(Update(1, message=message)) == "-100"
    assert chat_key(Update(2)) == "-"
    processor = PerChatUpdateProcessor(workers=3)
    await processor.initialize()
    order: list[int] = []

    async def handle(number: int) -> None:
        order.append(number)

    update = Update(3, message=message)
    await asyncio.gather(*(processor.process_update(update, handle(n)) for n in range(5)))
    assert order == [0, 1, 2, 3, 4]
    await processor.shutdown()
