"""``ChatCore``: one incoming message in, the replies out. No network, no platform here.

Adapters (Telegram, Zalo, the console) call ``handle`` for each message, in a thread
if they are asynchronous: it is synchronous and keeps no state between calls beyond the
Store, so several processes may serve one database. What it does with a message:

1. normalize the text (NFC, trimmed), clean the sender's name and the group's title of
   control characters; choose the chat's language;
2. a message that already made a report gets that report's confirmation again, and a
   message a waiting flow has already handled gets nothing: deliveries repeat;
3. refuse control characters; drop a flow idle for 30 minutes (saying so);
4. a waiting flow takes the answer (plain text, a number, a button, a photo), unless a
   slash command comes, which drops the flow first;
5. otherwise run the command, after checking where it was typed and who typed it;
6. write one audit row; split every text to the platform's limit.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta

from bot.core import admin, answers, extensions, flows, plan_import, report_flow
from bot.core.commands import Audience, Command, CommandCall, Place, find_command, read_command
from bot.core.context import Answer, Turn
from bot.core.evidence import EvidenceFiles
from bot.core.files import FileBuilder
from bot.core.parsing import clean_name, has_unsafe_characters, normalize
from bot.core.settings import CoreSettings
from bot.core.store import Store
from bot.core.types import ChatKind, IncomingMessage, Reply
from messages import replies
from messages import reports as report_texts
from messages.i18n import language
from messages.split import split_message
from messages.vocabulary import CANCEL_WORDS, fold, is_one_of
from scheduler.clock import Clock
from storage.models import ChatPurpose
from storage.records import FlowState

logger = logging.getLogger(__name__)


class ChatCore:
    """The bot's brain: built from a Store, a Clock, the settings and the builder of the
    files it sends (a chart with /tonghop, /xuat's workbook, /baocaoky's Word draft), and
    the door to the evidence file store (downloads and keeps the files of reports)."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        settings: CoreSettings | None = None,
        files: FileBuilder | None = None,
        evidence: EvidenceFiles | None = None,
    ):
        self.store = store
        self.clock = clock
        self.settings = settings or CoreSettings()
        self.files = files
        self.evidence = evidence

    def handle(self, message: IncomingMessage) -> list[Reply]:
        """The replies to ``message``, in the order to send them (possibly none)."""
        message = replace(
            message,
            sender_name=clean_name(message.sender_name) or "",
            chat_title=clean_name(message.chat_title),
        )
        chat = self.store.chat(message.platform, message.chat_id)
        chosen = chat.language if chat else self.settings.default_language
        with language(chosen):
            turn = Turn(
                message=message,
                text=normalize(message.text),
                now=self.clock.now(),
                store=self.store,
                settings=self.settings,
                chat=chat,
                memberships=self.store.memberships(message.platform, message.sender_id),
                is_operator=self.settings.is_operator(message.platform, message.sender_id),
                files=self.files,
                evidence=self.evidence,
            )
            try:
                self._dispatch(turn)
            except Exception:
                logger.exception(
                    "message %s in %s chat %s failed",
                    message.message_id,
                    message.platform,
                    message.chat_id,
                )
                turn.answers = [Answer(replies.internal_error())]
                turn.record("error")
            self._audit(turn)
            return self._replies(turn)

    def bot_removed(self, platform: str, chat_id: str) -> None:
        """The bot left a chat (removed from a group, blocked): send nothing there."""
        if self.store.deactivate_chat(platform, chat_id):
            self.store.audit(self.clock.now(), platform, "-", chat_id, "chat.removed")

    def chat_moved(self, platform: str, old_chat_id: str, new_chat_id: str) -> None:
        """A group got a new id (a Telegram group upgraded to a supergroup)."""
        if self.store.move_chat(platform, old_chat_id, new_chat_id):
            self.store.audit(
                self.clock.now(), platform, "-", new_chat_id, "chat.moved", old_chat_id
            )

    def bot_added(self, platform: str, chat_id: str, chat_kind: ChatKind) -> list[Reply]:
        """The bot was added to a group (or unblocked in a private chat). A chat made
        inactive when the bot left is active again, its registration kept; a group is
        greeted with what to do next."""
        if self.store.reactivate_chat(platform, chat_id):
            self.store.audit(self.clock.now(), platform, "-", chat_id, "chat.reactivated")
        if chat_kind == ChatKind.PRIVATE:
            return []  # the person writes /start themselves
        chat = self.store.chat(platform, chat_id)
        with language(chat.language if chat else self.settings.default_language):
            if chat is not None and chat.purpose == ChatPurpose.LEADERSHIP:
                text = replies.greeting_leadership_group()
            elif chat is not None and chat.purpose == ChatPurpose.UNIT and chat.unit_id:
                unit = self.store.unit(chat.unit_id)
                text = replies.greeting_unit_group(unit.name if unit else "")
            else:
                text = replies.greeting_new_group()
        return [Reply(platform=platform, chat_id=chat_id, text=text)]

    def chat_language(self, platform: str, chat_id: str) -> str:
        """The language the bot speaks in this chat."""
        chat = self.store.chat(platform, chat_id)
        return chat.language if chat else self.settings.default_language

    # -- the steps -------------------------------------------------------------------

    def _dispatch(self, turn: Turn) -> None:
        message, store = turn.message, self.store
        repeated = store.report_from_message(message.platform, message.chat_id, message.message_id)
        if repeated is not None:
            turn.say(report_texts.confirmation(repeated))
            turn.record("report.duplicate", f"#{repeated.report_id}")
            return
        flow = store.load_flow(*turn.key)
        if flow is not None:
            turn.seen = list(flow.data.get("seen", []))
            if message.message_id in turn.seen:
                turn.record("duplicate")
                return
        if has_unsafe_characters(turn.text):
            turn.say(replies.unsafe_characters())
            turn.record("refused", "control characters")
            return
        expired = False
        if flow is not None and flow.updated_at is not None:
            if flow.updated_at < turn.now - self.settings.flow_timeout:
                flows.drop(turn)
                flow, expired = None, True
        # Others' abandoned flows are swept once a day old: until then their owners still
        # learn, when they come back, that the flow expired.
        store.drop_idle_flows(turn.now - max(self.settings.flow_timeout, timedelta(days=1)))
        call = None
        choice = message.choice
        if choice is None and flow is None:  # the number of a reminder's answer (Zalo)
            choice = answers.offered(turn)
        picks: dict[str, int] = {}
        if choice is None:
            call = read_command(turn.text, plain_words=turn.place == Place.PRIVATE)
        elif choice.startswith("/"):  # a button that stands for a command: /duyet #7
            command_text, picks = answers.read_ref(choice)
            call = read_command(command_text, plain_words=False)
        if flow is not None and (
            call is None or not call.slash or plan_import.answers(flow, call)
        ):
            self._resume(turn, flow)
            return
        if flow is not None:
            flows.drop(turn)
            turn.dropped_flow = True
        if call is None:
            self._not_a_command(turn, expired)
            return
        self._command(turn, call, picks)
        if turn.dropped_flow and call.command and call.command.name != "huy":
            turn.answers.insert(0, Answer(replies.flow_dropped()))

    def _not_a_command(self, turn: Turn, expired: bool) -> None:
        private = turn.place == Place.PRIVATE
        if turn.message.choice is not None:
            turn.say(replies.flow_expired() if expired else replies.stale_choice())
        elif expired:
            turn.say(replies.flow_expired())
        elif plan_import.wants(turn):
            plan_import.receive(turn)
        elif turn.message.attachments:
            if private:
                turn.say(replies.attachment_outside_flow())
        elif private and turn.text:
            turn.say(replies.not_understood())
        # In a group, people talk among themselves: the bot answers only commands.

    def _resume(self, turn: Turn, flow: FlowState) -> None:
        if is_one_of(turn.text, CANCEL_WORDS) and turn.message.choice is None:
            flows.drop(turn)
            turn.say(replies.flow_cancelled())
            turn.record("flow.cancel")
            return
        turn.record("flow", flow.step)
        if flow.step.startswith("report."):
            report_flow.resume(turn, flow)
            return
        if flow.step == plan_import.STEP:
            plan_import.resume(turn, flow)
            return
        if flow.step.startswith(extensions.STEPS):
            extensions.resume(turn, flow)
            return
        value = flows.chosen(turn, flow.data)
        command = find_command(flow.data.get("command") or "")
        if value is None or command is None:
            flows.save(turn, flow.step, dict(flow.data))
            turn.say(replies.pick_again())
            return
        flows.drop(turn)
        picks = {**flow.data.get("picks", {}), flow.data["param"]: int(value[1:])}
        command.handler(turn, flow.data.get("args", ""), picks)

    def _command(self, turn: Turn, call: CommandCall, picks: dict[str, int]) -> None:
        if not call.token:
            turn.say(replies.empty_command())
            turn.record("refused", "empty command")
            return
        command = call.command
        if command is None:
            turn.say(replies.unknown_command(call.token))
            turn.record("refused", f"unknown command /{call.token[:40]}")
            return
        turn.record("command", f"/{command.name}")
        refusal = self._refusal(turn, command, call.token)
        if refusal is not None:
            turn.say(refusal)
            turn.record("refused", f"/{command.name}")
            return
        command.handler(turn, call.args, dict(picks))
        admin.offer_admission(turn, command)

    def _refusal(self, turn: Turn, command: Command, typed: str) -> str | None:
        """Why ``command`` may not run here for this sender, or None if it may. The answer
        names the command as it was typed (``/summary`` stays ``/summary``)."""
        place = turn.place
        name = fold(typed) if fold(typed) in command.aliases else command.name
        if place not in command.places:
            if command.places == {Place.PRIVATE}:
                return replies.private_only(name)
            if place == Place.NEW_GROUP:
                return replies.group_not_registered()
            if command.audience == Audience.OVERSEER:
                return replies.oversight_place_only(name)
            return replies.unit_place_only(name)
        if command.audience == Audience.OPERATOR and not turn.is_operator:
            return replies.operators_only(name)
        if command.audience == Audience.MEMBER and place == Place.PRIVATE:
            if not turn.registered:
                return replies.not_registered()
            if not turn.unit_memberships and not turn.is_operator:
                return replies.members_only(name)
        if command.audience == Audience.OVERSEER and place == Place.PRIVATE:
            if not turn.registered:
                return replies.not_registered()
            if not turn.is_overseer:
                return replies.overseers_only(name)
        return None

    # -- what goes out ---------------------------------------------------------------

    def _audit(self, turn: Turn) -> None:
        message = turn.message
        detail = turn.detail
        if turn.action == "message" and message.attachments:
            detail = f"{len(message.attachments)} attachment(s)"
        try:
            self.store.audit(
                turn.now, message.platform, message.sender_id, message.chat_id, turn.action, detail
            )
        except Exception:  # the answer matters more than its trace in the log
            logger.exception("audit of message %s failed", message.message_id)

    def _replies(self, turn: Turn) -> list[Reply]:
        message = turn.message
        result = []
        for answer in turn.answers:
            # A file goes with the last part of its text, as that part's caption.
            parts = split_message(answer.text, message.platform) or [""]
            for index, part in enumerate(parts):
                last = index == len(parts) - 1
                result.append(
                    Reply(
                        platform=message.platform,
                        chat_id=answer.to or message.chat_id,
                        text=part,
                        choices=answer.choices if last else (),
                        file=answer.file if last else None,
                        web_app=answer.web_app if last else None,
                    )
                )
        return result
