"""Comparing a workshop's answers with a cycle's, item by item, and deciding what a merge takes.

Plain data in, plain data out: the service loads both answer sets, this module says which
items are identical, which only the workshop answered and which conflict, and which
workshop answers the coordinator's choices take into the cycle.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app.core.answers import AnswerFields

SAME = "same"  # both answered alike: nothing to merge
NEW = "new"  # only the workshop answered: taken by default
CONFLICT = "conflict"  # both answered, differently: the cycle's is kept unless the coordinator chooses
KEEP = "keep"  # keep the cycle's answer
TAKE = "take"  # take the workshop's answer
CHOICES = (KEEP, TAKE)


@dataclass(frozen=True)
class ItemComparison:
    """One item the workshop answered, beside the cycle's answer (None: the cycle has none)."""

    item_id: str
    workshop: AnswerFields
    cycle: AnswerFields | None
    state: str

    @property
    def default(self) -> str:
        return TAKE if self.state == NEW else KEEP

    @property
    def choosable(self) -> bool:
        return self.state != SAME


def _present(answer: AnswerFields | None) -> AnswerFields | None:
    return None if answer is None or answer.is_empty else answer


def compare_answers(
    item_ids: Iterable[str], workshop: Mapping[str, AnswerFields], cycle: Mapping[str, AnswerFields]
) -> list[ItemComparison]:
    """Every item (in the order of ``item_ids``) the workshop answered, with its state."""
    comparisons = []
    for item_id in item_ids:
        theirs, ours = _present(workshop.get(item_id)), _present(cycle.get(item_id))
        if theirs is None:
            continue
        state = NEW if ours is None else SAME if ours == theirs else CONFLICT
        comparisons.append(ItemComparison(item_id, theirs, ours, state))
    return comparisons


def only_in_cycle(
    item_ids: Iterable[str], workshop: Mapping[str, AnswerFields], cycle: Mapping[str, AnswerFields]
) -> int:
    """How many items the cycle answered and the workshop did not (a merge leaves them as they are)."""
    return sum(1 for i in item_ids if _present(cycle.get(i)) is not None and _present(workshop.get(i)) is None)


def items_to_take(comparisons: Iterable[ItemComparison], choices: Mapping[str, str]) -> list[str]:
    """The differing items whose workshop answer goes into the cycle, by the coordinator's choices.

    An item without a choice is kept as the cycle has it (the coordinator was not shown it);
    raises ValueError for a choice that is neither ``keep`` nor ``take``.
    """
    taken = []
    for comparison in comparisons:
        if not comparison.choosable:
            continue
        choice = choices.get(comparison.item_id, KEEP)
        if choice not in CHOICES:
            raise ValueError(f"{comparison.item_id}: choose keep or take, not {choice!r}")
        if choice == TAKE:
            taken.append(comparison.item_id)
    return taken
