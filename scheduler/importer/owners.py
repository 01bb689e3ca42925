"""Who leads an activity of a month timeline, which names no unit: the rest of the plan says.

A timeline ("Tháng 3: Tổ chức tập huấn cho ...") gives the time; the units are in the
duties of "Tổ chức thực hiện" and in the teams the plan sets up. In order:

1. a team the plan sets up ("Thành lập Tổ hỗ trợ nộp hồ sơ trực tuyến cấp thị") leads
   the activity that is its work ("Hỗ trợ người dân ... nộp hồ sơ trực tuyến"); the team
   of the communes' level ("... cấp phường") is the communes' own, so their People's
   Committees lead with it;
2. else the units whose duty starts with the activity's action ("Tham mưu quyết định
   thành lập tổ ...", "Tổ chức các lớp tập huấn ...") lead it, the duties that say
   more of its object first;
3. an activity of the communes' level ("... cấp thị, cấp phường") is theirs too, and
   issuing this very plan ("Ban hành kế hoạch ...") is its issuer's.

A duty that only restates the activity it leads is folded into it, and one that staffs
a team ("Bố trí cán bộ tham gia Tổ ...") supports the activity that sets the team up;
the review lists both, and says for each activity where its units came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from messages.i18n import _
from scheduler.importer.blocks import Block, Paragraph
from scheduler.importer.model import Doubt, Draft, DraftTask
from scheduler.importer.units import Unit, expand

_STOP = {"và", "các", "của", "cho", "về", "với", "trong", "trên", "thực", "hiện", "năm", "có"}
_LEVEL = r"thị xã|thị trấn|thành phố|thị|huyện|tỉnh|quận|xã|phường"
_COMMUNE_LEVELS = {"xã", "phường", "thị trấn"}
_SETS_UP = re.compile(
    rf"thành lập\s+(tổ\s+.+?)((?:\s*,?\s*cấp\s+(?:{_LEVEL}))*)"
    r"(?=\s*(?:[,.;]|$)|\s+(?:để|và|cùng|nhằm)\b)",
    re.I,
)
_LEVELS_OF = re.compile(rf"cấp\s+({_LEVEL})\b", re.I)
_LEAD_IN = re.compile(
    r"^(?:căn cứ .*? để |(?:chủ trì|tham mưu|quyết định|chủ động|tích cực|tiếp tục|tập trung"
    r"|đẩy mạnh)[, ]+)+",
    re.I,
)
_HEAD_WORDS = 4  # the duty's action starts within its first words ("tổ chức các lớp tập huấn")
FOLD_SHARE = 0.66  # a duty this much made of the activity's words only restates it


def syllables(text: str) -> list[str]:
    """The syllables of the text, abbreviations written out, in lower case."""
    return [w for w in re.split(r"[\W_]+", expand(text).lower()) if w]


def content(text: str) -> set[str]:
    """The syllables of the text that carry meaning."""
    return {w for w in syllables(text) if w not in _STOP}


def action(text: str) -> list[str]:
    """The activity's verb: its first two syllables, "tổ chức" (a light verb) aside."""
    words = syllables(text)
    if words[:2] == ["tổ", "chức"] and len(words) > 3:
        words = words[2:]
    return words[:2]


def _has(words: list[str], part: list[str], within: int | None = None) -> bool:
    span = words[: within + len(part)] if within is not None else words
    return any(span[i : i + len(part)] == part for i in range(len(span) - len(part) + 1))


@dataclass
class Team:
    name: str  # as the document first writes it, "tổ ..." without its level
    levels: set[str] = field(default_factory=set)

    @property
    def work(self) -> list[str]:
        return syllables(self.name)[1:]  # "tổ hỗ trợ nộp hồ sơ" does "hỗ trợ nộp hồ sơ"


def teams_of(blocks: list[Block]) -> list[Team]:
    """The teams the plan sets up, each with the levels it is set up at."""
    teams: list[Team] = []
    for block in blocks:
        if not isinstance(block, Paragraph):
            continue
        for match in _SETS_UP.finditer(block.text):
            name = match.group(1).strip(" ,")
            levels = {level.lower() for level in _LEVELS_OF.findall(match.group(2))}
            same = next((t for t in teams if _same_team(t.name, name)), None)
            if same is None:
                teams.append(Team(name, levels))
            else:
                same.levels |= levels
    return teams


def _same_team(first: str, second: str) -> bool:
    a, b = content(first), content(second)
    return len(a & b) >= 0.75 * max(len(a), len(b))


def _doing(team: Team, activity: str) -> bool:
    """The activity is the team's work: it starts with it and names all of it."""
    work = [w for w in team.work if w not in _STOP]
    return len(work) >= 2 and action(activity) == work[:2] and set(work) <= content(activity)


def _duty_words(text: str) -> list[str]:
    return syllables(_LEAD_IN.sub("", text.strip()))


def _score(duty: DraftTask, activity: DraftTask) -> float:
    """1 and the share of the activity's object the duty names, when the duty's action
    is the activity's; 0 when it is not."""
    verb = action(activity.title)
    if len(verb) < 2 or not _has(_duty_words(duty.title), verb, _HEAD_WORDS):
        return 0.0
    rest = syllables(re.split(r"[,;:]", activity.title)[0])  # the object: up to the first comma
    start = next((i + 2 for i in range(len(rest)) if rest[i : i + 2] == verb), len(rest))
    thing = {w for w in rest[start:] if w not in _STOP and w != "cấp"}
    return 1.0 + len(thing & content(duty.title)) / max(1, len(thing))


def assign_timeline(blocks: list[Block], draft: Draft) -> None:
    """Give each timeline task its units (see the module docstring)."""
    timeline = [t for t in draft.tasks if t.timeline]
    if not timeline:
        return
    teams = teams_of(blocks)
    duties = [t for t in draft.tasks if t.code.startswith("D")]
    issuer = draft.units.resolve(draft.header.issuer)
    folded: set[int] = set()
    for task in timeline:
        lead, why = _team_leads(draft, teams, task)
        if not lead:
            scores = [(_score(d, task), d) for d in duties]
            best = max((s for s, _d in scores), default=0.0)
            chosen = [d for s, d in scores if s and s == best]
            for duty in chosen:
                lead += [u for u in duty.lead if u not in lead]
                if len(content(duty.title) & content(task.title)) >= FOLD_SHARE * len(
                    content(duty.title)
                ):
                    folded.add(id(duty))
                    draft.merged.append(Doubt(duty.source, duty.title, task.code))
            why = ", ".join(dict.fromkeys(d.source for d in chosen))
        whys = [why] if why else []
        if re.search(r"\bcấp (?:xã|phường|thị trấn)\b", task.title, re.I):
            lead += [u for u in [_communes(draft)] if u not in lead]
            whys.append(_("cấp thực hiện ghi trong nhiệm vụ"))
        if _issues_this_plan(draft, task):
            lead.insert(0, issuer)
            whys.insert(0, _("kế hoạch này do {unit} ban hành").format(unit=issuer.name))
        if lead:
            task.lead = list(dict.fromkeys(lead))
            reason = _("văn bản không ghi đơn vị; lấy theo {where}, hãy kiểm tra").format(
                where="; ".join(whys)
            )
        else:
            reason = _("văn bản không ghi đơn vị; tạm giao {unit}, hãy sửa đơn vị chủ trì").format(
                unit=issuer.name
            )
        draft.doubt(task.source, task.title, reason)
        _staffing(draft, teams, task, duties, folded)
    draft.tasks = [t for t in draft.tasks if id(t) not in folded]


def _team_leads(draft: Draft, teams: list[Team], task: DraftTask) -> tuple[list[Unit], str]:
    lead: list[Unit] = []
    for team in teams:
        if not _doing(team, task.title):
            continue
        upper = team.levels - _COMMUNE_LEVELS
        if upper or not team.levels:
            level = f" cấp {sorted(upper)[0]}" if upper else ""
            name = team.name[:1].upper() + team.name[1:] + level
            lead.append(draft.units.resolve(name))
        if team.levels & _COMMUNE_LEVELS:
            lead.append(_communes(draft))
        why = _("tổ được lập để làm việc này ({team})").format(team=team.name)
        return lead, why
    return [], ""


def _communes(draft: Draft) -> Unit:
    found = draft.units.by_key.get("ủy ban nhân dân cấp xã")
    if found is not None:
        return found
    level = "phường" if draft.header.locality and draft.header.locality[0] != "huyện" else "xã"
    return draft.units.resolve(f"Ủy ban nhân dân các {level}")


def _issues_this_plan(draft: Draft, task: DraftTask) -> bool:
    """ "Ban hành kế hoạch ..." in the plan's own timeline: the plan is its issuer's."""
    if action(task.title) != ["ban", "hành"]:
        return False
    thing = content(task.title) - {"ban", "hành"}
    return bool(thing) and len(thing & content(draft.header.title)) >= 0.8 * len(thing)


def _staffing(
    draft: Draft, teams: list[Team], task: DraftTask, duties: list[DraftTask], folded: set[int]
) -> None:
    """A duty that staffs a team this activity sets up supports the activity."""
    if action(task.title) != ["thành", "lập"]:
        return
    made = [t for t in teams if _names_team(task.title, t)]
    for duty in duties:
        if id(duty) in folded or not re.match(r"(?i)(?:bố trí|cử)\b", duty.title):
            continue
        if any(_names_team(duty.title, t) for t in made):
            task.support += [u for u in duty.lead if u not in task.support + task.lead]
            folded.add(id(duty))
            draft.merged.append(Doubt(duty.source, duty.title, task.code))


def _names_team(text: str, team: Team) -> bool:
    words = syllables(text)
    work = [w for w in team.work if w not in _STOP]
    return any(
        words[i] == "tổ" and set(work[:4]) <= set(words[i + 1 : i + 9]) for i in range(len(words))
    )
