"""What the fake Bot API server does for each method the bot may call.

Requests reach these handlers already checked against the Bot API description and
decoded to typed values. A handler changes the world and returns the method's result,
or raises ``ApiError`` with the code and description Telegram would answer. Two kinds
of refusal are told apart: ``violation=True`` when the request itself is wrong (a bug in
the bot: the fixture fails the test), and plain Telegram errors a correct bot must cope
with at run time (chat not found, blocked by the user, message not modified, ...).
"""

from __future__ import annotations

import json
import mimetypes
import struct
from collections.abc import Callable
from typing import Any

from tests.fakes.telegram_html import visible_text
from tests.fakes.telegram_spec import BotApiSpec, Kind, Upload
from tests.fakes.telegram_world import (
    IMAGE_SIGNATURES,
    Edit,
    FakeChat,
    SentMessage,
    StoredFile,
    TelegramWorld,
)

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply "
    "markup are exactly the same as a current content and reply markup of the message"
)


class ApiError(Exception):
    """An answer other than ok, as Telegram gives it."""

    def __init__(
        self,
        code: int,
        description: str,
        parameters: dict[str, Any] | None = None,
        violation: Kind | None = None,
    ) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters
        self.violation = violation


def _bad_request(detail: str, violation: Kind | None = None) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}", violation=violation)


class BotApiMethods:
    """The methods of the Bot API that concern chats, messages, files and commands."""

    def __init__(self, world: TelegramWorld, spec: BotApiSpec) -> None:
        self.world = world
        self.spec = spec
        self.commands: dict[tuple[str, str], list[dict]] = {}
        self.callback_queries: dict[str, dict[str, Any]] = {}
        self._handlers: dict[str, Callable[[dict[str, Any]], Any]] = {
            name: getattr(self, name)
            for name in (
                "getMe", "sendMessage", "sendPhoto", "sendDocument", "editMessageText",
                "editMessageCaption", "editMessageReplyMarkup", "deleteMessage",
                "answerCallbackQuery", "getFile", "sendChatAction", "setMyCommands",
                "getMyCommands", "deleteMyCommands", "leaveChat",
            )
        }  # fmt: skip

    def call(self, method: str, params: dict[str, Any]) -> Any:
        handler = self._handlers.get(method)
        if handler is not None:
            return handler(params)
        if (self.spec.method(method) or {}).get("returns") == ["Boolean"]:
            return True  # a setting the fake need not model (setMyDescription, ...)
        raise _bad_request(f"method {method} is not implemented in the fake", Kind.NOT_EMULATED)

    # -- the bot and its chats ------------------------------------------------------

    def getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            **self.world.bot.to_json(),
            "can_join_groups": True,
            "can_read_all_group_messages": not self.world.privacy_mode,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def target(self, chat_id: int | str) -> FakeChat:
        """The chat a message goes to, refused the way Telegram refuses it."""
        chat = self.world.find_chat(chat_id)
        if chat is None:
            raise _bad_request("chat not found")
        if chat.migrated_to is not None:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": chat.migrated_to},
            )
        if chat.type == "private" and chat.bot_status == "kicked":
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if chat.type == "private" and chat.bot_status == "left":
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        if chat.bot_status == "kicked":
            raise ApiError(403, f"Forbidden: bot was kicked from the {chat.type} chat")
        if chat.bot_status == "left":
            raise ApiError(403, f"Forbidden: bot is not a member of the {chat.type} chat")
        return chat

    def sendChatAction(self, params: dict[str, Any]) -> bool:
        self.target(params["chat_id"])
        return True

    def leaveChat(self, params: dict[str, Any]) -> bool:
        chat = self.target(params["chat_id"])
        chat.bot_status = "left"
        return True

    # -- sending ----------------------------------------------------------------------

    def sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self.target(params["chat_id"])
        text, entities = visible_text(params["text"], params.get("parse_mode"))
        content: dict[str, Any] = {"text": text}
        entities = params.get("entities", entities)
        if entities:
            content["entities"] = entities
        return self._send(chat, "sendMessage", params, content, params["text"])

    def sendPhoto(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self.target(params["chat_id"])
        photo = params["photo"]
        if isinstance(photo, Upload):
            if not photo.content.startswith(IMAGE_SIGNATURES):
                raise _bad_request("IMAGE_PROCESS_FAILED", Kind.BAD_VALUE)
            width, height = _image_size(photo.content)
            sizes = self.world.photo_sizes(photo.content, width, height)
        else:
            sizes = [self._known_file(photo).to_json()]
            sizes[0].update(width=1280, height=960)
            sizes[0].pop("file_path")
        stored = self.world.files[sizes[-1]["file_id"]]
        content = {"photo": sizes, **self._caption(params)}
        return self._send(chat, "sendPhoto", params, content, params.get("caption"), stored)

    def sendDocument(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self.target(params["chat_id"])
        document = params["document"]
        if isinstance(document, Upload):
            mime = document.content_type or mimetypes.guess_type(document.filename)[0]
            extension = document.filename.rsplit(".", 1)[-1] if "." in document.filename else "bin"
            stored = self.world.store_file(
                document.content, "documents", extension, document.filename, mime
            )
        else:
            stored = self._known_file(document)
        described = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
        }
        if stored.file_name:
            described["file_name"] = stored.file_name
        if stored.mime_type:
            described["mime_type"] = stored.mime_type
        content = {"document": described, **self._caption(params)}
        return self._send(chat, "sendDocument", params, content, params.get("caption"), stored)

    def _known_file(self, reference: str) -> StoredFile:
        if reference.startswith(("http://", "https://")):
            raise _bad_request("the fake never fetches URLs; upload the file", Kind.NOT_EMULATED)
        if reference not in self.world.files:
            raise _bad_request("wrong file identifier/HTTP URL specified", Kind.BAD_VALUE)
        return self.world.files[reference]

    def _caption(self, params: dict[str, Any]) -> dict[str, Any]:
        if not params.get("caption"):
            return {}
        caption, entities = visible_text(params["caption"], params.get("parse_mode"))
        content: dict[str, Any] = {"caption": caption}
        entities = params.get("caption_entities", entities)
        if entities:
            content["caption_entities"] = entities
        return content

    def _send(
        self,
        chat: FakeChat,
        method: str,
        params: dict[str, Any],
        content: dict[str, Any],
        raw_text: str | None,
        stored: StoredFile | None = None,
    ) -> dict[str, Any]:
        reply_to = None
        replied = params.get("reply_parameters")
        if replied:
            reply_chat = self.world.find_chat(replied.get("chat_id", chat.id)) or chat
            if (reply_chat.id, replied["message_id"]) in self.world.messages:
                reply_to = replied["message_id"] if reply_chat is chat else None
            elif not replied.get("allow_sending_without_reply"):
                raise _bad_request("message to be replied not found")
        markup = params.get("reply_markup")
        if markup and "inline_keyboard" in markup:
            content["reply_markup"] = markup  # only inline keyboards belong to the message
        message = self.world.new_message(chat, self.world.bot, reply_to, **content)
        upload = params.get("document", params.get("photo"))
        self.world.sent.setdefault(chat.id, []).append(
            SentMessage(
                chat_id=chat.id,
                message_id=message["message_id"],
                method=method,
                text=content.get("text", content.get("caption", "")),
                raw_text=raw_text,
                parse_mode=params.get("parse_mode"),
                reply_markup=markup,
                json=message,
                file=stored,
                upload_name=upload.filename if isinstance(upload, Upload) else None,
            )
        )
        return message

    # -- editing ----------------------------------------------------------------------

    def _editable(self, params: dict[str, Any]) -> SentMessage:
        if "inline_message_id" in params:
            raise _bad_request("inline messages are not emulated by the fake", Kind.NOT_EMULATED)
        if "chat_id" not in params or "message_id" not in params:
            raise _bad_request("message identifier is not specified", Kind.MISSING_FIELD)
        chat = self.target(params["chat_id"])
        for sent in self.world.sent.get(chat.id, []):
            if sent.message_id == params["message_id"] and not sent.deleted:
                return sent
        if (chat.id, params["message_id"]) in self.world.messages:
            raise _bad_request("message can't be edited")
        raise _bad_request("message to edit not found")

    def _apply_edit(
        self, sent: SentMessage, method: str, content: dict[str, Any], markup: dict | None
    ) -> dict[str, Any]:
        keys = ("text", "entities", "caption", "caption_entities", "reply_markup")
        before = {key: sent.json.get(key) for key in keys}
        after = {**before, **content, "reply_markup": markup}
        if before == after:
            raise ApiError(400, NOT_MODIFIED)
        for key, value in after.items():
            if value is None:
                sent.json.pop(key, None)
            else:
                sent.json[key] = value
        sent.json["edit_date"] = self.world.now()
        sent.text = sent.json.get("text", sent.json.get("caption", ""))
        sent.reply_markup = markup
        sent.edits.append(Edit(method, sent.text, markup))
        return sent.json

    def editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        if "text" not in params:
            if "rich_message" in params:
                raise _bad_request("rich messages are not emulated", Kind.NOT_EMULATED)
            raise _bad_request('field "text" is required', Kind.MISSING_FIELD)
        sent = self._editable(params)
        if sent.method != "sendMessage":
            raise _bad_request("there is no text in the message to edit")
        text, entities = visible_text(params["text"], params.get("parse_mode"))
        content = {"text": text, "entities": params.get("entities", entities) or None}
        sent.raw_text, sent.parse_mode = params["text"], params.get("parse_mode")
        return self._apply_edit(sent, "editMessageText", content, params.get("reply_markup"))

    def editMessageCaption(self, params: dict[str, Any]) -> dict[str, Any]:
        sent = self._editable(params)
        if sent.method == "sendMessage":
            raise _bad_request("there is no caption in the message to edit")
        content = {"caption": None, "caption_entities": None, **self._caption(params)}
        sent.raw_text = params.get("caption")
        return self._apply_edit(sent, "editMessageCaption", content, params.get("reply_markup"))

    def editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        sent = self._editable(params)
        return self._apply_edit(sent, "editMessageReplyMarkup", {}, params.get("reply_markup"))

    def deleteMessage(self, params: dict[str, Any]) -> bool:
        chat = self.target(params["chat_id"])
        if self.world.messages.pop((chat.id, params["message_id"]), None) is None:
            raise _bad_request("message to delete not found")
        for sent in self.world.sent.get(chat.id, []):
            if sent.message_id == params["message_id"]:
                sent.deleted = True
        return True

    # -- buttons, files, commands -----------------------------------------------------

    def answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        query = self.callback_queries.get(params["callback_query_id"])
        if query is None or query["answer"] is not None:
            raise _bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        query["answer"] = dict(params)
        return True

    def getFile(self, params: dict[str, Any]) -> dict[str, Any]:
        stored = self.world.files.get(params["file_id"])
        if stored is None:
            raise _bad_request("invalid file_id")
        # "For the moment, bots can download files of up to 20MB in size."
        if len(stored.content) > DOWNLOAD_LIMIT:
            raise _bad_request("file is too big")
        return stored.to_json()

    def setMyCommands(self, params: dict[str, Any]) -> bool:
        if len(params["commands"]) > 100:
            raise _bad_request("BOT_COMMANDS_TOO_MUCH", Kind.BAD_VALUE)
        self.commands[_command_key(params)] = params["commands"]
        return True

    def getMyCommands(self, params: dict[str, Any]) -> list[dict]:
        return self.commands.get(_command_key(params), [])

    def deleteMyCommands(self, params: dict[str, Any]) -> bool:
        self.commands.pop(_command_key(params), None)
        return True


DOWNLOAD_LIMIT = 20 * 1024 * 1024  # the spec's 20MB; the real server answers "file is too big"


def _command_key(params: dict[str, Any]) -> tuple[str, str]:
    """Commands are kept per scope and language, exactly as Telegram keys them."""
    scope = params.get("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), params.get("language_code", "")


def _image_size(content: bytes) -> tuple[int, int]:
    if content.startswith(b"\x89PNG") and len(content) >= 24:
        width, height = struct.unpack(">II", content[16:24])
        return width, height
    return 1280, 960  # other formats: a typical phone photo is all a bot needs to read
