"""Near-identical items: two items that ask the same fact score it twice (``ctsat validate`` warns).

Two questions are near-identical when most of the content words of the shorter one are also in the
other (overlap of the word sets, small words and plural endings left out) and they share at least
``MIN_SHARED_WORDS`` of them, so that two short questions on different topics are not paired.
An item that refers to the other with ``same_as`` is scored once and is not reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations

from app.core.questionnaire import Item, Questionnaire

SIMILARITY_THRESHOLD = 0.7
MIN_SHARED_WORDS = 5
_STOP_WORDS = frozenset(
    "a an and any are as at be by can do does for from has have how in into is it its of on or other such that "
    "the their them there these they this to under what when where whether which who with without"
    # words nearly every question uses, which say nothing about its topic
    " trafficking person victim law national government state country".split()
)


@dataclass(frozen=True)
class NearDuplicate:
    first: str
    second: str
    similarity: float

    def __str__(self) -> str:
        return (
            f"items {self.first} and {self.second} ask near-identical questions (similarity {self.similarity:.2f}):"
            " merge them or mark one same_as the other, so that one fact is scored once"
        )


def content_words(text: str) -> frozenset[str]:
    words = re.findall(r"[a-z]+", text.casefold())
    return frozenset(word.removesuffix("s") for word in words if word not in _STOP_WORDS and len(word) > 2)


def similarity(first: Item, second: Item) -> float:
    """Share of the shorter question's content words found in the other (0 below ``MIN_SHARED_WORDS``)."""
    a, b = content_words(first.question.get("en", "")), content_words(second.question.get("en", ""))
    shared = len(a & b)
    return shared / min(len(a), len(b)) if shared >= MIN_SHARED_WORDS else 0.0


def near_duplicates(questionnaire: Questionnaire, threshold: float = SIMILARITY_THRESHOLD) -> list[NearDuplicate]:
    """Pairs of scored items whose questions are near-identical and that do not refer to each other."""
    items = [item for item in questionnaire.items.values() if item.scored]
    found = []
    for first, second in combinations(items, 2):
        if first.same_as == second.id or second.same_as == first.id:
            continue
        value = similarity(first, second)
        if value >= threshold:
            found.append(NearDuplicate(first.id, second.id, round(value, 2)))
    return sorted(found, key=lambda pair: -pair.similarity)
