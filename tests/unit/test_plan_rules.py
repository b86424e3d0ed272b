"""The action plan's rules, without a database: permissions, field rules, reordering, gap links."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.core.gaps import Gap
from app.core.questionnaire import Questionnaire
from app.models import Action, Assessment, User
from app.services.plans import (
    ActionError,
    ActionFields,
    can_edit_plan,
    can_update_action_status,
    check_action,
    ends_before_start,
    gaps_to_plan,
    items_outside_measure,
    swap_target,
)

GOOD = ActionFields(title="Adopt SOPs", measure_id="PROS-1", item_ids=("PROS-1.1", "PROS-1.3"))


def person(role: str, country: str | None = "THA", active: bool = True) -> User:
    return User(role=role, country_code=country, active=active)


def assessment(status: str = "draft", country: str = "THA") -> Assessment:
    return Assessment(country_code=country, status=status)


@pytest.mark.parametrize("status", ["draft", "submitted"])
@pytest.mark.parametrize("role", ["official", "coordinator"])
def test_the_countrys_officials_and_coordinator_edit_the_plan_until_it_is_final(role: str, status: str) -> None:
    assert can_edit_plan(person(role), assessment(status))


@pytest.mark.parametrize(
    "user",
    [person("official", "PHL"), person("admin", None), person("facilitator", None), person("official", active=False)],
)
def test_nobody_else_edits_the_plan(user: User) -> None:
    assert not can_edit_plan(user, assessment())


def test_a_final_plan_is_closed_to_edits_even_for_its_coordinator() -> None:
    assert not can_edit_plan(person("coordinator"), assessment("final"))


def test_only_the_coordinator_updates_statuses_once_the_cycle_is_final() -> None:
    final = assessment("final")
    assert can_update_action_status(person("coordinator"), final)
    assert not can_update_action_status(person("official"), final)
    assert not can_update_action_status(person("coordinator", "PHL"), final)
    assert not can_update_action_status(person("admin", None), final)


def test_a_well_formed_action_passes(mini: Questionnaire) -> None:
    check_action(mini, GOOD)


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        (replace(GOOD, title="   "), "title"),
        (replace(GOOD, title="x" * 501), "title"),
        (replace(GOOD, measure_id="PROS-99"), "measure_id"),
        (replace(GOOD, measure_id=None), "measure_id"),
        (replace(GOOD, item_ids=("PROT-1.1",)), "item_ids"),
        (replace(GOOD, start=date(2026, 6, 1), end=date(2026, 5, 31)), "end"),
        (replace(GOOD, status="finished"), "status"),
        (replace(GOOD, budget="9" * 201), "budget"),
        (replace(GOOD, lead_agency="x" * 201), "lead_agency"),
    ],
)
def test_an_action_breaking_a_rule_names_the_field(mini: Questionnaire, draft: ActionFields, field: str) -> None:
    with pytest.raises(ActionError) as raised:
        check_action(mini, draft)
    assert raised.value.field == field


def test_a_title_of_exactly_500_characters_and_a_one_day_action_are_fine(mini: Questionnaire) -> None:
    check_action(mini, replace(GOOD, title="x" * 500, start=date(2026, 1, 1), end=date(2026, 1, 1)))


def test_items_outside_the_measure_are_listed_in_the_order_given(mini: Questionnaire) -> None:
    assert items_outside_measure(mini, "PROS-1", ("PROT-1.1", "PROS-1.2", "PROS-2.1")) == ["PROT-1.1", "PROS-2.1"]
    assert items_outside_measure(mini, "NOPE-1", ("PROS-1.2",)) == ["PROS-1.2"]


def test_an_open_ended_action_never_ends_before_it_starts() -> None:
    assert not ends_before_start(date(2026, 1, 1), None)
    assert not ends_before_start(None, date(2020, 1, 1))
    assert ends_before_start(date(2026, 1, 2), date(2026, 1, 1))


def test_an_action_swaps_with_its_neighbour_and_stops_at_either_end() -> None:
    order = [7, 3, 9]
    assert swap_target(order, 3, "up") == 7
    assert swap_target(order, 3, "down") == 9
    assert swap_target(order, 7, "up") is None
    assert swap_target(order, 9, "down") is None


def test_a_direction_other_than_up_or_down_is_refused() -> None:
    with pytest.raises(ActionError):
        swap_target([1, 2], 1, "left")


def test_each_top_gap_lists_the_actions_that_address_its_item() -> None:
    gaps = [Gap(f"PROS-1.{n}", "PROS-1", "prosecution", 0, 4, 1, False, 4) for n in (1, 2, 3)]
    action = Action(title="Adopt SOPs", item_ids=["PROS-1.2"])
    planned = gaps_to_plan(gaps, [action], limit=2)
    assert [entry.gap.item_id for entry in planned] == ["PROS-1.1", "PROS-1.2"]
    assert [entry.actions for entry in planned] == [[], [action]]
