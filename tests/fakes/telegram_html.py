"""Telegram's text rules, as the fake Bot API server applies them.

Telegram measures text in UTF-16 code units (an emoji outside the BMP counts twice),
parses ``parse_mode=HTML`` strictly (only its own tags; a stray ``<`` is an error, not
text) and strips the whitespace around a message. The fake must do the same, or a bot
that passes its tests could still be refused by the real server: a user-typed ``<`` left
unescaped in an HTML reply is the classic case.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

#: Tags Telegram accepts in HTML mode, and the entity type each one makes.
HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
    "tg-time": "date_time",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]+);")
_TAG_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9-]*")
_ATTRIBUTE = re.compile(r"\s*([a-zA-Z-]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>\"']+))?")
# A command is "/" and up to 64 ASCII word characters, optionally "@botname"; Telegram
# only sees one where the "/" does not continue a word or a path.
_BOT_COMMAND = re.compile(r"(?<![A-Za-z0-9_/])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?")


class EntityParseError(ValueError):
    """The text cannot be parsed in its parse_mode; ``str()`` is Telegram's wording."""


class ParseModeNotEmulated(EntityParseError):
    """A parse_mode Telegram has but the fake does not check (the project uses HTML)."""


@dataclass
class _Open:
    name: str
    start: int  # position in the output text, in code points
    attributes: dict[str, str]


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(source: str, index: int) -> int:
    return len(source[:index].encode("utf-8"))


def _decode_entity(match: re.Match[str]) -> str | None:
    body = match.group(1)
    if body.startswith(("#x", "#X")):
        code = int(body[2:], 16)
    elif body.startswith("#"):
        code = int(body[1:])
    else:
        return _NAMED_ENTITIES.get(body)
    return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else None


def _entity_for(tag: _Open, text: str, end: int) -> dict | None:
    kind = HTML_TAGS[tag.name]
    if end <= tag.start:
        return None  # Telegram drops empty entities
    entity: dict = {
        "type": kind,
        "offset": utf16_len(text[: tag.start]),
        "length": utf16_len(text[tag.start : end]),
    }
    if kind == "text_link":
        if "href" not in tag.attributes:
            return None
        entity["url"] = tag.attributes["href"]
    if kind == "pre" and "language" in tag.attributes:
        entity["language"] = tag.attributes["language"]
    if kind == "blockquote" and "expandable" in tag.attributes:
        entity["type"] = "expandable_blockquote"
    return entity


def _parse_start_tag(source: str, index: int, stack: list[_Open], text_len: int) -> int:
    """Read the start tag at ``source[index] == '<'``; push it and return the index after it."""
    name_match = _TAG_NAME.match(source, index + 1)
    if not name_match:
        raise EntityParseError(
            f'Unsupported start tag "" at byte offset {_byte_offset(source, index)}'
        )
    name = name_match.group(0).lower()
    if name not in HTML_TAGS:
        raise EntityParseError(
            f'Unsupported start tag "{name}" at byte offset {_byte_offset(source, index)}'
        )
    position, attributes = name_match.end(), {}
    while True:
        while position < len(source) and source[position].isspace():
            position += 1
        if position >= len(source):
            raise EntityParseError(
                f"Unclosed start tag at byte offset {_byte_offset(source, index)}"
            )
        if source[position] == ">":
            break
        attribute = _ATTRIBUTE.match(source, position)
        if not attribute or attribute.end() == position:
            raise EntityParseError(
                f'Empty attribute name in the tag "{name}" at byte offset '
                f"{_byte_offset(source, position)}"
            )
        value = attribute.group(2) or ""
        if value[:1] in {'"', "'"}:
            value = value[1:-1]
        attributes[attribute.group(1).lower()] = html.unescape(value)
        position = attribute.end()
    if name == "span" and attributes.get("class") != "tg-spoiler":
        raise EntityParseError('Tag "span" must have class "tg-spoiler"')
    if name == "code" and stack and stack[-1].name == "pre" and "class" in attributes:
        # <pre><code class="language-x"> gives the pre block its language
        stack[-1].attributes["language"] = attributes["class"].removeprefix("language-")
    stack.append(_Open(name, text_len, attributes))
    return position + 1


def parse_html(source: str) -> tuple[str, list[dict]]:
    """The visible text and the entities of ``source`` in parse_mode HTML.

    Raises EntityParseError with Telegram's message where Telegram refuses the text.
    """
    out: list[str] = []
    entities: list[dict] = []
    stack: list[_Open] = []
    index = 0
    while index < len(source):
        char = source[index]
        if char == "&":
            match = _ENTITY.match(source, index)
            decoded = _decode_entity(match) if match else None
            if match and decoded is not None:
                out.append(decoded)
                index = match.end()
                continue
            out.append("&")  # an unknown entity stays as typed, like Telegram does
            index += 1
        elif char == "<" and source.startswith("</", index):
            end = source.find(">", index)
            name = source[index + 2 : end].strip().lower() if end != -1 else ""
            if end == -1 or not _TAG_NAME.fullmatch(name):
                raise EntityParseError(
                    f"Unclosed end tag at byte offset {_byte_offset(source, index)}"
                )
            if not stack:
                raise EntityParseError(
                    f"Unexpected end tag at byte offset {_byte_offset(source, index)}"
                )
            if stack[-1].name != name:
                raise EntityParseError(
                    f"Unmatched end tag at byte offset {_byte_offset(source, index)}, "
                    f'expected "</{stack[-1].name}>", found "</{name}>"'
                )
            text = "".join(out)
            entity = _entity_for(stack.pop(), text, len(text))
            if entity:
                entities.append(entity)
            index = end + 1
        elif char == "<":
            index = _parse_start_tag(source, index, stack, len("".join(out)))
        else:
            out.append(char)
            index += 1
    if stack:
        raise EntityParseError(
            f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"'
        )
    entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
    return "".join(out), entities


def strip_message_text(text: str, entities: list[dict]) -> tuple[str, list[dict]]:
    """Drop the whitespace around a message, moving the entities with the text."""
    stripped = text.strip()
    if not stripped:
        return "", []
    shift = utf16_len(text[: len(text) - len(text.lstrip())])
    limit = utf16_len(stripped)
    kept = []
    for entity in entities:
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, limit)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept


def visible_text(source: str, parse_mode: str | None) -> tuple[str, list[dict]]:
    """What the user will see: the text after entity parsing and stripping."""
    if parse_mode is None:
        return strip_message_text(source, [])
    if parse_mode.lower() == "html":
        return strip_message_text(*parse_html(source))
    if parse_mode.lower() in {"markdown", "markdownv2"}:
        raise ParseModeNotEmulated(f"parse_mode {parse_mode} is not emulated by the fake")
    raise EntityParseError("unsupported parse_mode")


def bot_command_entities(text: str) -> list[dict]:
    """The bot_command entities Telegram attaches to a text a user typed."""
    return [
        {
            "type": "bot_command",
            "offset": utf16_len(text[: match.start()]),
            "length": utf16_len(match.group(0)),
        }
        for match in _BOT_COMMAND.finditer(text)
    ]
