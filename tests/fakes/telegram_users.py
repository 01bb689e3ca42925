"""The fake Telegram server's side of the users: what a test does as a person in a chat.

Each action builds the message or event exactly as Telegram would deliver it and queues
it as an update, returning the Update (or None when Telegram would not show it to the
bot: a group message not meant for it under privacy mode, or a kind of update the bot
did not ask for). A positive chat id or a ``FakeUser`` as the chat means that user's
private chat; unknown user ids become plain accounts.

Mixed into ``FakeTelegram``, which provides ``lock``, ``world``, ``updates``, ``methods``,
``bot`` and ``_now``.
"""

from __future__ import annotations

import copy
import mimetypes
import threading
from collections.abc import Callable, Iterator
from typing import Any

from tests.fakes.telegram_methods import BotApiMethods
from tests.fakes.telegram_updates import UpdateQueue
from tests.fakes.telegram_world import FakeChat, FakeUser, TelegramWorld, tiny_png

ChatRef = FakeChat | FakeUser | int
UserRef = FakeUser | int

ADMINISTRATOR_RIGHTS = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": False,
    "can_restrict_members": False,
    "can_promote_members": False,
    "can_change_info": False,
    "can_invite_users": True,
    "can_post_stories": False,
    "can_edit_stories": False,
    "can_delete_stories": False,
    "can_pin_messages": True,
}


class UserActions:
    """Acting as the users of the chats the bot is in."""

    lock: threading.Condition
    world: TelegramWorld
    updates: UpdateQueue
    methods: BotApiMethods
    bot: FakeUser
    _group_ids: Iterator[int]
    _supergroup_ids: Iterator[int]
    _query_ids: Iterator[int]
    _now: Callable[[], int]

    # -- acting as users ----------------------------------------------------------------

    def user(
        self,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "vi",
    ) -> FakeUser:
        """A Telegram user the test will act as."""
        with self.lock:
            return self.world.user(
                FakeUser(user_id, first_name, last_name, username, language_code)
            )

    def group(self, title: str, chat_id: int | None = None, supergroup: bool = False) -> FakeChat:
        """A group chat (the bot is not in it until ``bot_added_to_group``)."""
        with self.lock:
            if chat_id is None:
                ids = self._supergroup_ids if supergroup else self._group_ids
                chat_id = -int(f"100{next(ids)}") if supergroup else -next(ids)
            kind = "supergroup" if supergroup else "group"
            return self.world.chat(FakeChat(chat_id, kind, title=title))

    def _chat(self, chat: ChatRef) -> FakeChat:
        return self.world.chat(chat.id if isinstance(chat, FakeUser) else chat)

    def _message_update(self, chat: FakeChat, message: dict[str, Any]) -> dict | None:
        if not self.world.delivered_in_group(chat, message):
            return None  # privacy mode: Telegram never shows the bot this message
        return self.updates.add({"message": message})

    def _speaking(self, chat: ChatRef, user: UserRef) -> tuple[FakeChat, FakeUser]:
        chat_, user_ = self._chat(chat), self.world.user(user)
        if chat_.type == "private":
            if chat_.id != user_.id:
                raise ValueError(f"user {user_.id} cannot write in {chat_.id}'s private chat")
            if chat_.bot_status == "kicked":  # writing again unblocks the bot
                self._member_update(chat_, user_, "member")
            chat_.bot_status = "member"
        elif chat_.bot_status not in {"member", "administrator"}:
            raise ValueError(f"the bot is not in group {chat_.id}: call bot_added_to_group first")
        if chat_.migrated_to is not None:
            raise ValueError(f"group {chat_.id} became supergroup {chat_.migrated_to}")
        return chat_, user_

    def user_sends_text(
        self, chat: ChatRef, user: UserRef, text: str, reply_to: int | None = None
    ) -> dict | None:
        """``user`` types ``text`` in ``chat`` (a FakeUser or a positive id means their
        private chat). Returns the Update, or None when Telegram would not deliver it
        (a group message not meant for the bot under privacy mode)."""
        with self.lock:
            chat_, user_ = self._speaking(chat, user)
            content = self.world.typed_text(text)
            message = self.world.new_message(chat_, user_, reply_to, **content)
            return self._message_update(chat_, message)

    def user_sends_photo(
        self,
        chat: ChatRef,
        user: UserRef,
        content: bytes | None = None,
        caption: str | None = None,
        width: int = 1280,
        height: int = 960,
        reply_to: int | None = None,
    ) -> dict | None:
        """A photo (in Telegram's several sizes, each with file_id and file_unique_id)."""
        with self.lock:
            chat_, user_ = self._speaking(chat, user)
            sizes = self.world.photo_sizes(content or tiny_png(), width, height)
            extra = self.world.typed_text(caption, "caption") if caption else {}
            message = self.world.new_message(chat_, user_, reply_to, photo=sizes, **extra)
            return self._message_update(chat_, message)

    def user_sends_document(
        self,
        chat: ChatRef,
        user: UserRef,
        content: bytes,
        file_name: str,
        mime_type: str | None = None,
        caption: str | None = None,
        reply_to: int | None = None,
    ) -> dict | None:
        with self.lock:
            chat_, user_ = self._speaking(chat, user)
            mime = mime_type or mimetypes.guess_type(file_name)[0] or "application/octet-stream"
            extension = file_name.rsplit(".", 1)[-1] if "." in file_name else "bin"
            stored = self.world.store_file(content, "documents", extension, file_name, mime)
            document = {
                "file_name": file_name,
                "mime_type": mime,
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "file_size": len(content),
            }
            extra = self.world.typed_text(caption, "caption") if caption else {}
            message = self.world.new_message(chat_, user_, reply_to, document=document, **extra)
            return self._message_update(chat_, message)

    def user_presses_button(
        self, chat: ChatRef, user: UserRef, message_id: int, callback_data: str
    ) -> dict | None:
        """``user`` presses the inline button carrying ``callback_data`` under the bot's
        message; the bot must then call answerCallbackQuery (checked at teardown)."""
        with self.lock:
            chat_, user_ = self._chat(chat), self.world.user(user)
            sent = next(
                (m for m in self.world.sent.get(chat_.id, []) if m.message_id == message_id),
                None,
            )
            if sent is None or sent.deleted:
                raise ValueError(f"the bot has no message {message_id} in chat {chat_.id}")
            if callback_data not in sent.callback_data:
                raise ValueError(
                    f"message {message_id} has no button {callback_data!r}; it has {sent.buttons}"
                )
            query_id = str(next(self._query_ids))
            self.methods.callback_queries[query_id] = {
                "chat_id": chat_.id, "message_id": message_id, "data": callback_data,
                "user_id": user_.id, "answer": None,
            }  # fmt: skip
            query = {
                "id": query_id,
                "from": user_.to_json(),
                "message": copy.deepcopy(sent.json),
                "chat_instance": str(abs(chat_.id) * 7_919 % 10**19),
                "data": callback_data,
            }
            update = self.updates.add({"callback_query": query})
            if update is None:  # the bot does not take button presses: nothing to answer
                del self.methods.callback_queries[query_id]
            return update

    def _member_update(
        self, chat: FakeChat, by_user: FakeUser, status: str, *, until_date: bool = False
    ) -> dict | None:
        old: dict[str, Any] = {"status": chat.bot_status, "user": self.bot.to_json()}
        new: dict[str, Any] = {"status": status, "user": self.bot.to_json()}
        if old["status"] == "kicked":
            old["until_date"] = 0
        if until_date:
            new["until_date"] = 0
        for member in (old, new):
            if member["status"] == "administrator":
                member.update(ADMINISTRATOR_RIGHTS)
        event = {
            "chat": chat.to_json(),
            "from": by_user.to_json(),
            "date": self._now(),
            "old_chat_member": old,
            "new_chat_member": new,
        }
        return self.updates.add({"my_chat_member": event})

    def bot_added_to_group(
        self, chat: FakeChat | int, by_user: UserRef, as_admin: bool = False
    ) -> dict | None:
        """Someone adds the bot to a group: a my_chat_member update, then the service
        message announcing the new member, as Telegram sends both."""
        with self.lock:
            chat_, user_ = self._chat(chat), self.world.user(by_user)
            if not chat_.is_group:
                raise ValueError(f"chat {chat_.id} is not a group")
            update = self._member_update(chat_, user_, "administrator" if as_admin else "member")
            chat_.bot_status = "administrator" if as_admin else "member"
            chat_.added_by = user_
            message = self.world.new_message(chat_, user_, new_chat_members=[self.bot.to_json()])
            self._message_update(chat_, message)
            return update

    def bot_removed_from_group(self, chat: FakeChat | int, by_user: UserRef) -> dict | None:
        """Someone removes the bot: from then on sending there answers 403."""
        with self.lock:
            chat_, user_ = self._chat(chat), self.world.user(by_user)
            banned = chat_.type == "supergroup"  # removal from a supergroup is a ban
            update = self._member_update(
                chat_, user_, "kicked" if banned else "left", until_date=banned
            )
            chat_.bot_status = "kicked"
            return update

    def user_blocks_bot(self, user: UserRef) -> dict | None:
        """The user blocks the bot: my_chat_member, then 403 on every message to them."""
        with self.lock:
            user_ = self.world.user(user)
            chat = self.world.chat(user_.id)
            update = self._member_update(chat, user_, "kicked", until_date=True)
            chat.bot_status = "kicked"
            return update

    def group_migrates_to_supergroup(
        self, old_id: FakeChat | int, new_id: int | None = None, by_user: UserRef | None = None
    ) -> tuple[dict | None, dict | None]:
        """A group becomes a supergroup with a new id: a message with migrate_to_chat_id
        in the old chat, one with migrate_from_chat_id in the new; sending to the old id
        then answers 400 with ``parameters.migrate_to_chat_id``."""
        with self.lock:
            old = self._chat(old_id)
            if old.type != "group" or old.bot_status not in {"member", "administrator"}:
                raise ValueError(f"chat {old.id} is not a basic group with the bot in it")
            if new_id is None:
                new_id = -int(f"100{next(self._supergroup_ids)}")
            user_ = self.world.user(by_user) if by_user is not None else old.added_by
            if user_ is None:
                raise ValueError("say which user upgraded the group (by_user)")
            new = self.world.chat(
                FakeChat(new_id, "supergroup", title=old.title, bot_status=old.bot_status)
            )
            left = self.world.new_message(old, user_, migrate_to_chat_id=new_id)
            old.migrated_to = new_id
            arrived = self.world.new_message(new, user_, migrate_from_chat_id=old.id)
            return self._message_update(old, left), self._message_update(new, arrived)

    def repeat_update(self, update_id: int) -> None:
        """Deliver an update again, as Telegram does when it believes it was not received."""
        self.updates.repeat(update_id)
