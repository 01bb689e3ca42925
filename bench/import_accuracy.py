"""How well ``plan import`` reads the real plans: its drafts against the hand-made files.

For each plan of ``plans/`` whose source document is at hand (the shared ``seeds``
folder: ``<code>.txt``), the source is imported twice, as text and as a Word copy with
real tables (``word_copy``), and each draft is compared with the hand-made plan file:

- found: a hand-made task has a draft task of the same meaning (title words shared,
  each draft task used once);
- right lead: the same lead units (compared by the importer's unit key);
- right due: the same last due date and the same number of deadlines;
- false: draft tasks that match no hand-made task;
- parts: of those, the ones that are one bullet of a hand-made task that merged several
  bullets the document lists apart (same lead, their words within its title): not
  counted as false, shown apart.

Like with like: the draft is compared as if it had the hand-made file's ``issued`` (none
when the file has none), since an issue date drops a rhythm's periods before it and the
count of deadlines would differ for that reason alone; whether the issue dates agree is
shown apart ("issued").

Run: ``python bench/import_accuracy.py [--sources DIR] [-v]``. The target is 95% of the
tasks found with the right lead and due date, and at most one false task per plan.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from word_copy import word_copy  # noqa: E402

from scheduler.importer import import_document  # noqa: E402
from scheduler.importer.assemble import similar, words  # noqa: E402
from scheduler.importer.units import key  # noqa: E402
from scheduler.importer.writer import draft_toml  # noqa: E402
from scheduler.planfile import PlanSpec, TaskSpec, parse_plan, read_plan_file  # noqa: E402


def sources_dir() -> Path | None:
    for candidate in (
        ROOT / "seeds",
        ROOT.parent / "shared" / "seeds",
        ROOT.parent.parent / "shared" / "seeds",
    ):
        if candidate.is_dir():
            return candidate
    return None


def _leads(spec: PlanSpec, task: TaskSpec, locality: tuple[str, ...]) -> set[str]:
    names = {unit.code: unit.name for unit in spec.units}
    return {key(names[code], locality) for code in task.lead}


def compare(hand: PlanSpec, draft: PlanSpec, locality: tuple[str, ...]) -> dict:
    pairs = sorted(
        (
            (similar(h.title, d.title), i, j)
            for i, h in enumerate(hand.tasks)
            for j, d in enumerate(draft.tasks)
        ),
        reverse=True,
    )
    matched: dict[int, int] = {}
    used: set[int] = set()
    for score, i, j in pairs:
        if score >= 0.5 and i not in matched and j not in used:
            matched[i], _ = j, used.add(j)
    rows = []
    for i, task in enumerate(hand.tasks):
        other = draft.tasks[matched[i]] if i in matched else None
        lead = other is not None and _leads(hand, task, locality) == _leads(draft, other, locality)
        due = other is not None and (
            task.schedule.due == other.schedule.due
            and len(task.schedule.occurrences) == len(other.schedule.occurrences)
        )
        rows.append((task.code, other.code if other else "-", lead, due))
    unmatched = [d for j, d in enumerate(draft.tasks) if j not in used]
    parts = [d.code for d in unmatched if _part(hand, draft, d, locality)]
    false = [d.code for d in unmatched if d.code not in parts]
    return {"rows": rows, "false": false, "parts": parts}


def _part(hand: PlanSpec, draft: PlanSpec, task: TaskSpec, locality: tuple[str, ...]) -> bool:
    own = words(task.title)
    return any(
        _leads(hand, h, locality) == _leads(draft, task, locality)
        and len(own & words(h.title)) >= 0.6 * len(own)
        for h in hand.tasks
    )


def same_issue(text: str, issued: date | None) -> str:
    """The draft's TOML with the hand-made file's issue date (or none)."""
    text = re.sub(r"(?m)^issued = .*\n", "", text)
    if issued is not None:
        text = re.sub(r"(?m)^(year = .*\n)", rf"\1issued = {issued.isoformat()}\n", text, count=1)
    return text


def report(name: str, result: dict, verbose: bool) -> tuple[int, int, int]:
    rows = result["rows"]
    total = len(rows)
    found = sum(1 for r in rows if r[1] != "-")
    lead = sum(1 for r in rows if r[2])
    due = sum(1 for r in rows if r[3])
    both = sum(1 for r in rows if r[2] and r[3])

    def pct(n: int) -> str:
        return f"{n}/{total} ({100 * n / max(1, total):.0f}%)"

    print(
        f"{name}\n  tasks {total:>3}   found {pct(found)}   right lead {pct(lead)}   "
        f"right due {pct(due)}   lead+due {pct(both)}   false {len(result['false'])}   "
        f"parts {len(result['parts'])}   issued {result['issued']}"
    )
    if verbose:
        for code, other, is_lead, is_due in rows:
            print(
                f"    {code:>4} -> {other:<4} lead {'ok' if is_lead else 'NO'}  "
                f"due {'ok' if is_due else 'NO'}"
            )
        if result["false"]:
            print(f"    false: {', '.join(result['false'])}")
        if result["parts"]:
            print(f"    parts: {', '.join(result['parts'])}")
    return total, both, len(result["false"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=Path, default=sources_dir())
    parser.add_argument("--plans", type=Path, default=ROOT / "plans")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    totals = [0, 0, 0, 0]
    for plan_file in sorted(args.plans.glob("*.toml")):
        source = args.sources / f"{plan_file.stem}.txt" if args.sources else None
        if source is None or not source.exists():
            print(f"{plan_file.stem}: no source document at hand, skipped")
            continue
        hand = read_plan_file(plan_file)
        data = source.read_bytes()
        for label, name, content in (
            ("text", source.name, data),
            ("docx", f"{plan_file.stem}.docx", word_copy(source.name, data)),
        ):
            draft = import_document(name, content)
            text = same_issue(draft_toml(draft, name), hand.issued)
            spec = parse_plan(text.encode(), name)
            locality = draft.units.locality
            result = compare(hand, spec, locality)
            found = draft.header.issued
            result["issued"] = (
                "-" if hand.issued is None else "ok" if found == hand.issued else f"NO ({found})"
            )
            total, both, false = report(f"{plan_file.stem} ({label})", result, args.verbose)
            totals = [totals[0] + total, totals[1] + both, totals[2] + false, totals[3] + 1]
    if totals[3]:
        print(
            f"\nall: {totals[1]}/{totals[0]} tasks found with the right lead and due "
            f"({100 * totals[1] / max(1, totals[0]):.0f}%), {totals[2]} false tasks in "
            f"{totals[3]} drafts"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
