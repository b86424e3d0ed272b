"""Multi-word searches tolerate a typo in each word (issue 14): "victm identifcation"."""

from __future__ import annotations

from app.services.search.similarity import THRESHOLD, name_similarity, within_edits


def test_a_typo_in_each_of_two_words_still_finds_the_name() -> None:
    assert name_similarity("victm identifcation", "PROT-1 Victim identification") >= THRESHOLD


def test_swapped_neighbouring_letters_count_as_one_typo() -> None:
    assert within_edits("trafifcking", "trafficking", 2) and within_edits("teh", "the", 1)


def test_short_words_get_no_typo_allowance() -> None:
    assert name_similarity("cat", "PROT-1 Victim identification") < THRESHOLD


def test_a_word_with_no_close_match_still_fails_the_whole_query() -> None:
    assert name_similarity("victim treaty", "PROT-1 Victim identification") < THRESHOLD
