"""Checks a Bot API request against the published Telegram Bot API description.

The description is ``spec/telegram-bot-api-10.1.json``, a copy of the project's
``shared/specs`` one with its MIT licence beside it: every method and type with its
fields; numeric bounds only in the prose. A request is refused when Telegram
would refuse it, and a little more strictly where that catches a bot's bug early:

- unknown method, unknown field, missing required field;
- a value of the wrong type. Top-level values arrive as text (form fields, as
  python-telegram-bot sends them, or JSON members) and must read as their type; objects
  arrive JSON-encoded and are checked field by field, recursively (nested JSON values must
  have their JSON type: an Integer is a number, not a string);
- lengths from the prose: "1-4096 characters" counted in UTF-16 code units after entity
  parsing, "1-64 bytes" in UTF-8 bytes;
- rules only the prose states: parse_mode values, bot command names, the webhook secret's
  alphabet, chat actions, one action per inline button, update type names.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

from tests.fakes.telegram_html import (
    EntityParseError,
    ParseModeNotEmulated,
    utf16_len,
    visible_text,
)

SPEC_PATH = Path(
    os.environ.get(
        "NHACVIEC_TELEGRAM_SPEC",
        Path(__file__).resolve().parent / "spec/telegram-bot-api-10.1.json",
    )
)
_BOUNDS = re.compile(r"(\d+)-(\d+) (characters|bytes)")
_DISCRIMINATOR = re.compile(r'(?:always|must be) "?([A-Za-z_]+)"?')
_INTEGER = re.compile(r"-?[0-9]+")
_ATTACH = re.compile(r"attach://([A-Za-z0-9_]+)")
_BOOLEANS = {"true": True, "false": False, "1": True, "0": False}
_SCALARS = {"Integer", "Float", "Boolean", "String"}
PARSE_MODES = {"html", "markdown", "markdownv2"}
CHAT_ACTIONS = {
    "typing", "upload_photo", "record_video", "upload_video", "record_voice",
    "upload_voice", "upload_document", "choose_sticker", "find_location",
    "record_video_note", "upload_video_note",
}  # fmt: skip
# python-telegram-bot's ``Defaults`` (parse_mode=HTML, ...) add these to every method that
# shares its internal send helper, even where the method has no such field (a parse_mode
# on editMessageReplyMarkup). Telegram ignores unknown fields, so these cannot fail a bot
# on the real server; elsewhere an unknown field is refused, to catch misspelt names.
PTB_DEFAULTS = {
    "allow_sending_without_reply", "disable_notification", "do_quote",
    "explanation_parse_mode", "link_preview_options", "parse_mode", "text_parse_mode",
    "protect_content", "question_parse_mode",
}  # fmt: skip
# Buttons of an inline keyboard carry exactly one action besides these.
_BUTTON_DECORATION = {"text", "icon_custom_emoji_id", "style"}


class Kind(StrEnum):
    """What is wrong with a request."""

    UNKNOWN_METHOD = "unknown method"
    UNKNOWN_FIELD = "unknown field"
    MISSING_FIELD = "missing required field"
    WRONG_TYPE = "wrong type"
    TOO_LONG = "too long"
    BAD_VALUE = "bad value"
    UNAUTHORIZED = "unauthorized"
    NOT_EMULATED = "not emulated by the fake"


@dataclass(frozen=True)
class Problem:
    """One reason Telegram would refuse a request; ``detail`` follows Telegram's wording."""

    kind: Kind
    field: str
    detail: str

    def __str__(self) -> str:
        where = f" {self.field}" if self.field else ""
        return f"{self.kind}{where}: {self.detail}"


@dataclass(frozen=True)
class Upload:
    """One file part of a multipart/form-data request."""

    filename: str
    content: bytes
    content_type: str


class BotApiSpec:
    """The methods and types of the Bot API, with the checks that use them."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.version = data.get("version", "")
        self.types: dict[str, dict] = data["types"]
        self._methods = {name.lower(): method for name, method in data["methods"].items()}
        self.update_kinds = {field["name"] for field in self.types["Update"]["fields"]} - {
            "update_id"
        }

    def method(self, name: str) -> dict | None:
        """The method's description; Telegram's method names are case-insensitive."""
        return self._methods.get(name.lower())

    def check_request(
        self, method: str, raw: dict[str, str], uploads: dict[str, Upload]
    ) -> tuple[dict[str, Any], list[Problem], list[str]]:
        """Decode ``raw`` (text values) to typed values; list what Telegram would refuse,
        and the fields it would silently ignore (see ``PTB_DEFAULTS``)."""
        description = self.method(method)
        if description is None:
            problem = Problem(Kind.UNKNOWN_METHOD, "", f"method {method!r} does not exist")
            return {}, [problem], []
        fields = {field["name"]: field for field in description.get("fields", [])}
        problems: list[Problem] = []
        values: dict[str, Any] = {}
        ignored = [name for name in raw if name not in fields and name in PTB_DEFAULTS]
        for name, text in raw.items():
            if name in ignored:
                continue
            if name not in fields:
                problems.append(Problem(Kind.UNKNOWN_FIELD, name, f'unknown field "{name}"'))
                continue
            value, found = self._decode(fields[name]["types"], text, uploads, name)
            problems += found
            values[name] = value
        for name, field in fields.items():
            if name not in values and name in uploads and "InputFile" in field["types"]:
                values[name] = uploads[name]  # the file itself is the part named like the field
        attached = {name for text in raw.values() for name in _ATTACH.findall(text)}
        for part in uploads:
            if part not in values and part not in attached:
                problems.append(Problem(Kind.UNKNOWN_FIELD, part, f'unknown file part "{part}"'))
        problems += self._check_fields(description["name"], fields, values, "")
        return values, problems, ignored

    def check_object(self, type_name: str, value: Any, path: str = "") -> list[Problem]:
        """Problems of a JSON value claimed to be of ``type_name`` (also used on the fake's
        own updates, so that what it delivers is what Telegram would deliver)."""
        return self._check_value([type_name], value, path, {})

    # -- decoding the text of top-level fields ------------------------------------------

    def _decode(
        self, types: list[str], text: str, uploads: dict[str, Upload], path: str
    ) -> tuple[Any, list[Problem]]:
        if "InputFile" in types and text.startswith("attach://"):
            part = text.removeprefix("attach://")
            if part in uploads:
                return uploads[part], []
            return text, [Problem(Kind.BAD_VALUE, path, f'file part "{part}" is missing')]
        if "Integer" in types and _INTEGER.fullmatch(text):
            return int(text), []
        if "Float" in types:
            try:
                return float(text), []
            except ValueError:
                pass
        if "Boolean" in types and text.lower() in _BOOLEANS:
            return _BOOLEANS[text.lower()], []
        structured = [kind for kind in types if kind not in _SCALARS and kind != "InputFile"]
        if structured:
            try:
                value = json.loads(text)
            except ValueError:
                value = None
            if isinstance(value, dict | list):
                return value, self._check_value(structured, value, path, uploads)
        if "String" in types:
            return text, []
        expected = " or ".join(types)
        return text, [Problem(Kind.WRONG_TYPE, path, f"must be {expected}, got {text[:60]!r}")]

    # -- checking JSON values ----------------------------------------------------------

    def _check_value(
        self, types: list[str], value: Any, path: str, uploads: dict[str, Upload]
    ) -> list[Problem]:
        attempts = []
        for kind in types:
            problems = self._check_one(kind, value, path, uploads)
            if problems == []:
                return []
            attempts.append(problems)
        # Report the attempt that got furthest: a shape mismatch (None) tells least.
        detailed = [problems for problems in attempts if problems is not None]
        if detailed:
            return min(detailed, key=len)
        shown = json.dumps(value, ensure_ascii=False)[:60]
        return [Problem(Kind.WRONG_TYPE, path, f"must be {' or '.join(types)}, got {shown}")]

    def _check_one(
        self, kind: str, value: Any, path: str, uploads: dict[str, Upload]
    ) -> list[Problem] | None:
        """[] when ``value`` is a ``kind``, problems when it is one with faults inside,
        None when it is not that shape at all."""
        if kind.startswith("Array of "):
            if not isinstance(value, list):
                return None
            problems: list[Problem] = []
            for index, item in enumerate(value):
                problems += self._check_value([kind[9:]], item, f"{path}[{index}]", uploads)
            return problems
        if kind in _SCALARS:
            return [] if _is_scalar(kind, value) else None
        if kind == "InputFile":
            ok = isinstance(value, str) and value.removeprefix("attach://") in uploads
            return [] if ok else None
        description = self.types.get(kind)
        if description is None or not isinstance(value, dict):
            return None
        if "subtypes" in description:
            return self._check_union(kind, description["subtypes"], value, path, uploads)
        fields = {field["name"]: field for field in description.get("fields", [])}
        problems = []
        for name, item in value.items():
            if name not in fields:
                problems.append(Problem(Kind.UNKNOWN_FIELD, _join(path, name), "unknown field"))
            else:
                where = _join(path, name)
                problems += self._check_value(fields[name]["types"], item, where, uploads)
        return problems + self._check_fields(kind, fields, value, path)

    def _check_union(
        self, kind: str, subtypes: list[str], value: dict, path: str, uploads: dict
    ) -> list[Problem] | None:
        tags = {}
        for subtype in subtypes:
            fields = self.types.get(subtype, {}).get("fields", [])
            match = _DISCRIMINATOR.search(fields[0]["description"]) if fields else None
            if match:
                tags[(fields[0]["name"], match.group(1))] = subtype
        if len(tags) != len(subtypes):  # no tag field: the value must fit one of them
            return self._check_value(subtypes, value, path, uploads)
        for (key, tag), subtype in tags.items():
            if value.get(key) == tag:
                return self._check_one(subtype, value, path, uploads)
        tag_field = next(iter(tags))[0]
        shown = value.get(tag_field)
        return [Problem(Kind.BAD_VALUE, _join(path, tag_field), f"no {kind} of kind {shown!r}")]

    # -- what the prose says -----------------------------------------------------------

    def _check_fields(
        self, owner: str, fields: dict[str, dict], values: dict[str, Any], path: str
    ) -> list[Problem]:
        problems = [
            Problem(Kind.MISSING_FIELD, _join(path, name), f'field "{name}" is required')
            for name, field in fields.items()
            if field["required"] and name not in values
        ]
        for name, value in values.items():
            field = fields.get(name)
            if field is not None and isinstance(value, str):
                problems += self._check_length(owner, field, values, _join(path, name))
        return problems + _prose_rules(self, owner, values, path)

    def _check_length(
        self, owner: str, field: dict, values: dict[str, Any], path: str
    ) -> list[Problem]:
        bounds = _BOUNDS.search(field["description"])
        if not bounds:
            return []
        low, high, unit = int(bounds.group(1)), int(bounds.group(2)), bounds.group(3)
        name, text = field["name"], values[field["name"]]
        if unit == "bytes":
            size = len(text.encode("utf-8"))
        elif "after entit" in field["description"]:
            mode = values.get("quote_parse_mode" if name == "quote" else "parse_mode")
            if isinstance(mode, str) and mode.lower() not in PARSE_MODES:
                return []  # the parse_mode itself is refused, see _prose_rules
            try:
                size = utf16_len(visible_text(text, mode)[0])
            except ParseModeNotEmulated as error:
                return [Problem(Kind.NOT_EMULATED, path, str(error))]
            except EntityParseError as error:
                return [Problem(Kind.BAD_VALUE, path, f"can't parse entities: {error}")]
        else:
            size = utf16_len(text)
        if low <= size <= high:
            return []
        kind = Kind.TOO_LONG if size > high else Kind.BAD_VALUE
        return [Problem(kind, path, _length_wording(owner, name, size, low, high, unit))]


def _length_wording(owner: str, name: str, size: int, low: int, high: int, unit: str) -> str:
    """Telegram's own words for the lengths bots most often get wrong."""
    if name == "callback_data":
        return f"BUTTON_DATA_INVALID ({size} bytes, at most {high})"
    if name == "text" and owner in {"sendMessage", "editMessageText"}:
        if size == 0:
            return "message text is empty"
        return f"message is too long ({size} characters, at most {high})"
    if name == "caption" and size > high:
        return f"message caption is too long ({size} characters, at most {high})"
    return f'"{name}" must be {low}-{high} {unit}, got {size}'


def _prose_rules(spec: BotApiSpec, owner: str, values: dict[str, Any], path: str) -> list:
    problems = []

    def refuse(name: str, detail: str, kind: Kind = Kind.BAD_VALUE) -> None:
        problems.append(Problem(kind, _join(path, name), detail))

    for name in ("parse_mode", "quote_parse_mode"):
        mode = values.get(name)
        if isinstance(mode, str) and mode.lower() not in PARSE_MODES:
            refuse(name, "unsupported parse_mode")
    chat_id = values.get("chat_id")
    if isinstance(chat_id, str) and not chat_id.startswith("@"):
        refuse("chat_id", f'must be Integer or "@username", got {chat_id[:60]!r}', Kind.WRONG_TYPE)
    if owner == "BotCommand" and isinstance(values.get("command"), str):
        if not re.fullmatch(r"[a-z0-9_]{1,32}", values["command"]):
            refuse("command", "BOT_COMMAND_INVALID (lowercase letters, digits, _ only)")
    if owner == "setWebhook" and isinstance(values.get("secret_token"), str):
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", values["secret_token"]):
            refuse("secret_token", "secret token contains unallowed characters")
    if owner == "sendChatAction" and "action" in values and values["action"] not in CHAT_ACTIONS:
        refuse("action", "wrong parameter action in request")
    if owner == "InlineKeyboardButton":
        actions = [name for name in values if name not in _BUTTON_DECORATION]
        if len(actions) != 1:
            refuse("text", f"an inline button needs exactly one action, has {actions}")
    if isinstance(values.get("allowed_updates"), list):
        unknown = [kind for kind in values["allowed_updates"] if kind not in spec.update_kinds]
        if unknown:
            refuse("allowed_updates", f"unknown update types {unknown}")
    return problems


def _is_scalar(kind: str, value: Any) -> bool:
    if kind == "String":
        return isinstance(value, str)
    if kind == "Boolean":
        return isinstance(value, bool)
    if kind == "Integer":
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, int | float) and not isinstance(value, bool)  # Float


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


@lru_cache(maxsize=1)
def load_spec(path: Path = SPEC_PATH) -> BotApiSpec:
    """The Bot API description, read once per test session."""
    if not path.exists():
        raise FileNotFoundError(
            f"Telegram Bot API description not found at {path}; "
            "set NHACVIEC_TELEGRAM_SPEC to its path"
        )
    return BotApiSpec(json.loads(path.read_text(encoding="utf-8")))
