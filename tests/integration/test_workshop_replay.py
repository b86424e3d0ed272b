"""A replay of the RSR training workshop (seed 003) through the web layer, from join code to report.

Nine member states, three participants each (one per pillar of expertise). The facilitator sets
the workshop up on two of the three measures with the sharing terms "results shared with all
participants"; every participant accepts them before answering. The countries' coordinators set
their national sharing three ways (with peers by name, anonymously, private): the workshop's terms,
not those settings, decide what the workshop shows. Each participant answers the items of their
pillar, in scope or not, with a comment only their country may read; the facilitator forms three
pillar groups, each group records a strategy, most participants fill in the evaluation, and the
facilitator writes a summary, looks at the projector and downloads the report. Every expected
figure is computed here from what was answered, over the workshop's measures only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import Any

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.answers import Answer, AssessmentInput
from app.core.library import Library
from app.core.loader import load_questionnaire
from app.core.questionnaire import Questionnaire
from app.core.results import assess
from app.core.scoring import Scores, restrict_scores
from app.models import QuestionnaireVersion, User, Workshop
from app.services.catalog import get_questionnaire
from app.services.workshop_admission import JoinChoice, request_to_join
from app.services.workshops import WorkshopSettings, accept_terms, create_workshop
from tests.conftest import csrf_token, login
from tests.reporting.conftest import pdf_tool

# The nine member states at the RSR training workshop (seed 003) and each coordinator's national
# sharing setting, which must make no difference to what the workshop shows.
SHARING = {
    "KHM": "workshop",
    "IDN": "workshop",
    "LAO": "workshop",
    "MNG": "peers",
    "MMR": "peers",
    "NPL": "peers",
    "LKA": "private",
    "THA": "private",
    "VNM": "private",
}
NAMES = {
    "KHM": "Cambodia",
    "IDN": "Indonesia",
    "LAO": "Lao PDR",
    "MNG": "Mongolia",
    "MMR": "Myanmar",
    "NPL": "Nepal",
    "LKA": "Sri Lanka",
    "THA": "Thailand",
    "VNM": "Viet Nam",
}
PILLARS = {"prevention": "Police", "protection": "Ministry of Social Welfare", "prosecution": "Attorney General"}
REPLAY_QUESTIONNAIRE = {
    "id": "replay",
    "version": "1",
    "title": "Replay questionnaire",
    "languages": ["en"],
    "scale": {0: "Not in place", 1: "Initial", 2: "Partly in place", 3: "Largely in place", 4: "Fully in place"},
    "scoring": {
        "bands": [
            {"id": "absent", "label": "Absent", "min": 0, "max": 20},
            {"id": "initial", "label": "Initial", "min": 20, "max": 40},
            {"id": "emerging", "label": "Emerging", "min": 40, "max": 60},
            {"id": "developing", "label": "Developing", "min": 60, "max": 80},
            {"id": "established", "label": "Established", "min": 80, "max": 100},
        ],
        "critical_cap": "emerging",
    },
    "pillars": [
        {
            "id": pillar,
            "title": pillar.capitalize(),
            "measures": [
                {
                    "id": f"{prefix}-1",
                    "title": f"{pillar.capitalize()} measure",
                    "items": [
                        {"id": f"{prefix}-1.1", "question": f"Is the first {pillar} practice in place?", "weight": 2},
                        {"id": f"{prefix}-1.2", "question": f"Is the second {pillar} practice in place?"},
                    ],
                }
            ],
        }
        for pillar, prefix in (("prevention", "PREV"), ("protection", "PROT"), ("prosecution", "PROS"))
    ],
}
ITEMS = {
    pillar["id"]: [item["id"] for item in pillar["measures"][0]["items"]] for pillar in REPLAY_QUESTIONNAIRE["pillars"]
}
MEASURES = {pillar: f"{items[0].split('-')[0]}-1" for pillar, items in ITEMS.items()}
SCOPE = ["PROT-1", "PROS-1"]  # the workshop's measures; prevention is answered but out of scope
TERMS = "everyone"


def levels_of(index: int, code: str) -> dict[str, int]:
    """What each country answers: low, middle or high by thirds, prevention (out of scope) at its
    highest so that a score that wrongly took it in would move. Every third country leaves one
    prosecution item open."""
    base = (0, 1, 3)[index // 3]
    levels = {}
    for number, items in enumerate(ITEMS.values()):
        for position, item_id in enumerate(items):
            if item_id == ITEMS["prosecution"][1] and index % 3 == 0:
                continue
            levels[item_id] = 4 if item_id in ITEMS["prevention"] else min(4, base + (index + number + position) % 2)
    return levels


def secret(code: str, item_id: str) -> str:
    return f"confidential-note-{code.lower()}-{item_id.lower()}"


@dataclass
class Replay:
    workshop: Workshop
    clients: dict[str, list[FlaskClient]] = field(default_factory=dict)
    levels: dict[str, dict[str, int]] = field(default_factory=dict)
    assessments: dict[str, int] = field(default_factory=dict)
    ratings: list[int] = field(default_factory=list)


def post(client: FlaskClient, page_url: str, url: str, data: dict[str, Any], status: int = 302) -> Any:
    token = csrf_token(client.get(page_url).get_data(as_text=True))
    response = client.post(url, data=data | {"csrf_token": token})
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response


def load_replay_questionnaire(session: Session, library: Library, folder: Path) -> Questionnaire:
    folder.mkdir()
    (folder / "questionnaire.yaml").write_text(yaml.safe_dump(REPLAY_QUESTIONNAIRE, sort_keys=False))
    questionnaire = load_questionnaire(folder, library)
    content = questionnaire.model_dump(mode="json")
    session.add(
        QuestionnaireVersion(questionnaire_id="replay", version="1", title="Replay", checksum="-", content=content)
    )
    session.commit()
    return questionnaire


def set_up(client: FlaskClient, session: Session, facilitator: User) -> Workshop:
    login(client, facilitator.email)
    data = {"title": "RSR training workshop", "venue": "Bangkok", "starts_on": "2026-05-04", "ends_on": "2026-05-05"}
    data |= {"countries": list(SHARING), "code_days": "7", "questionnaire": "replay@1", "sharing_terms": TERMS}
    data |= {"measures": SCOPE}
    post(client, "/workshops/new", "/workshops/new", data)
    return session.scalars(select(Workshop).filter_by(title="RSR training workshop")).one()


def join_and_answer(app: Flask, make_user: Any, replay: Replay, index: int, code: str) -> None:
    """Three participants of ``code`` join with the code and answer their pillar's items through the API."""
    replay.levels[code] = levels_of(index, code)
    for number, (pillar, agency) in enumerate(PILLARS.items()):
        user = make_user("coordinator" if number == 0 else "official", code)
        client = app.test_client()
        login(client, user.email)
        join_url = f"/workshops/join/{replay.workshop.join_code}"
        data = {"code": replay.workshop.join_code, "country": code, "agency": agency, "pillar": pillar}
        post(client, join_url, join_url, data)
        workshop_url = f"/workshops/{replay.workshop.id}"
        assert "Results shared with all participants" in client.get(workshop_url).get_data(as_text=True)
        assert client.get(f"/api/v1/workshops/{replay.workshop.id}/board").status_code == 404  # terms first
        post(client, workshop_url, f"{workshop_url}/terms", {})
        board = client.get(f"/api/v1/workshops/{replay.workshop.id}/board").get_json()
        own = next(row for row in board["countries"] if row["code"] == code)
        assessment_id = replay.assessments.setdefault(code, own["assessment"])
        token = csrf_token(client.get(f"/workshops/{replay.workshop.id}").get_data(as_text=True))
        for item_id in ITEMS[pillar]:
            if item_id in replay.levels[code]:
                body = {"answer": str(replay.levels[code][item_id]), "version": 0, "comment": secret(code, item_id)}
                url = f"/api/v1/assessments/{assessment_id}/answers/{item_id}"
                assert client.put(url, json=body, headers={"X-CSRFToken": token}).status_code == 200
        replay.clients.setdefault(code, []).append(client)


def share(replay: Replay, code: str) -> None:
    """The country's coordinator (its first participant) sets the national sharing setting (which the
    workshop's terms override)."""
    if SHARING[code] == "private":
        return
    url = f"/assessments/{replay.assessments[code]}/settings"
    data = {"title": "RSR training workshop (workshop)", "confidentiality": "Confidential", "sharing": SHARING[code]}
    post(replay.clients[code][0], url, url, data)


def groups_and_strategies(client: FlaskClient, replay: Replay) -> dict[str, int]:
    workshop_id = replay.workshop.id
    page = f"/workshops/{workshop_id}/groups"
    post(client, page, f"{page}/suggest", {"kind": "pillar"})
    html = client.get(page).get_data(as_text=True)
    groups = {int(found) for found in re.findall(rf"/workshops/{workshop_id}/groups/(\d+)", html)}
    assert len(groups) == 3
    pillar_of: dict[str, int] = {}
    for group_id in groups:
        for pillar, number in zip(PILLARS, range(3), strict=True):
            member = replay.clients["KHM"][number]
            if member.get(f"{page}/{group_id}").status_code == 200:
                pillar_of[pillar] = group_id
                data = {"title": f"{pillar.capitalize()} strategy", "measures": [MEASURES[pillar]]}
                data |= {"actions": f"Agree a regional {pillar} plan", "lead": "Cambodia"}
                post(member, f"{page}/{group_id}", f"{page}/{group_id}", data)
    assert sorted(pillar_of) == sorted(PILLARS)
    return pillar_of


def evaluate(replay: Replay) -> None:
    """Two participants of each country fill in the evaluation (ratings 3 to 5)."""
    url = f"/workshops/{replay.workshop.id}/evaluation"
    for index, clients in enumerate(replay.clients.values()):
        for number, client in enumerate(clients[:2]):
            rating = 3 + (index + number) % 3
            replay.ratings.append(rating)
            post(client, url, url, {"q1": str(rating), "q3": ["Group work"], "q4": f"Feedback {index}-{number}"})


@pytest.fixture
def replay(
    app: Flask, client: FlaskClient, session: Session, make_user: Any, mini_library: Library, tmp_path: Path
) -> Iterator[Replay]:
    load_replay_questionnaire(session, mini_library, tmp_path / "replay")
    facilitator = make_user("facilitator")
    workshop = set_up(client, session, facilitator)
    played = Replay(workshop)
    for index, code in enumerate(SHARING):
        join_and_answer(app, make_user, played, index, code)
        share(played, code)
    yield played


def expected_scores(questionnaire: Questionnaire, library: Library, levels: dict[str, int]) -> Scores:
    answers = {item_id: Answer(item_id, level=level) for item_id, level in levels.items()}
    return assess(questionnaire, library, AssessmentInput(answers=answers)).scores


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """The report's text on one line (a missing pdftotext fails in CI, as for every report test)."""
    return " ".join(pdf_tool("pdftotext", pdf, tmp_path, "-enc", "UTF-8").split())


def score_text(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def test_a_nine_country_workshop_keeps_each_countrys_answers_private_and_reports_the_right_figures(
    client: FlaskClient, session: Session, replay: Replay, mini_library: Library, tmp_path: Path
) -> None:
    workshop_id = replay.workshop.id
    questionnaire = load_questionnaire(tmp_path / "replay", mini_library)

    expected = {
        code: restrict_scores(questionnaire, expected_scores(questionnaire, mini_library, replay.levels[code]), SCOPE)
        for code in SHARING
    }

    # Under the terms every participant accepted, each participant's board names every country with
    # its scores, and shows nothing another country wrote; no other country's assessment opens.
    for code, clients in replay.clients.items():
        board = clients[1].get(f"/api/v1/workshops/{workshop_id}/board").get_json()
        assert board["terms"] == TERMS and board["measures"] == SCOPE
        assert sorted(row["code"] for row in board["countries"]) == sorted(SHARING)
        assert all(row["details"] for row in board["countries"])
        assert {person["country"] for person in board["participants"]} == {code}  # names are not results
        page = clients[1].get(f"/workshops/{workshop_id}").get_data(as_text=True) + str(board)
        # The header's language list names languages, not countries ("Bahasa Indonesia"): not data
        page = re.sub(r'<form class="language-switcher".*?</form>', "", page, flags=re.S)
        for other in SHARING:
            assert NAMES[other] in page
            if other != code:
                assert f"confidential-note-{other.lower()}" not in page
        other_assessment = replay.assessments["THA" if code != "THA" else "KHM"]
        assert clients[1].get(f"/assessments/{other_assessment}").status_code == 404
        assert [row["assessment"] for row in board["countries"] if row["code"] != code] == [None] * 8

    # The facilitator's board: every country's progress and scores over the workshop's measures.
    facilitator_board = client.get(f"/api/v1/workshops/{workshop_id}/board").get_json()
    assert len(facilitator_board["participants"]) == 3 * len(SHARING)
    for row in facilitator_board["countries"]:
        levels = replay.levels[row["code"]]
        assert set(row["measures"]) == set(SCOPE)
        for pillar, measure_id in MEASURES.items():
            if measure_id not in SCOPE:
                continue
            cell = row["measures"][measure_id]
            assert cell["answered"] == sum(1 for item_id in ITEMS[pillar] if item_id in levels)
            assert cell["applicable"] == len(ITEMS[pillar])
            assert cell["score"] == expected[row["code"]].measures[measure_id].score
        assert row["overall"] == expected[row["code"]].overall
        assert row["participants"] == 3

    # The projector: all nine countries on the heat map, each cell with its score; no comments.
    projector = client.get(f"/workshops/{workshop_id}/projector").get_data(as_text=True)
    assert projector.count('class="heat-cell"') == len(SHARING) * len(SCOPE)
    for code in SHARING:
        for measure_id in SCOPE:
            assert f"{NAMES[code]} · {measure_id}: {score_text(expected[code].measures[measure_id].score)}" in projector
    assert "confidential-note-" not in projector and "PREV-1" not in projector

    # Groups, strategies, evaluation, the facilitator's summary, then the report.
    groups_and_strategies(client, replay)
    evaluate(replay)
    summary_url = f"/workshops/{workshop_id}/summary"
    summary = "Day 1 found shared gaps in victim identification.\n\nDay 2 agreed three pillar strategies."
    post(client, f"/workshops/{workshop_id}", summary_url, {"summary": summary})
    response = client.get(f"/workshops/{workshop_id}/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data, tmp_path)

    assert "27 participants took part · 9 countries invited" in text
    assert "Day 2 agreed three pillar strategies." in text
    assert "confidential-note-" not in text
    order = sorted(SHARING, key=NAMES.__getitem__)  # the progress table's columns
    in_scope = [i for pillar in ("protection", "prosecution") for i in ITEMS[pillar]]
    totals = " ".join(f"{sum(1 for i in in_scope if i in replay.levels[code])}/4" for code in order)
    assert f"All measures in scope {totals}" in text
    answered = " ".join(f"{sum(1 for i in ITEMS['prosecution'] if i in replay.levels[code])}/2" for code in order)
    assert f"PROS-1 Prosecution measure {answered}" in text
    assert all(f"{pillar.capitalize()} strategy" in text for pillar in PILLARS)
    mean = sum(replay.ratings) / len(replay.ratings)
    assert f"{len(replay.ratings)} participants filled in the evaluation" in text
    assert f"mean rating {mean:.1f} of 5" in text

    # Results under the terms: every country by name, scored over the workshop's measures only, and
    # the spread over all nine; the measure out of scope appears nowhere.
    assert "Results shared with all participants" in text
    named_part = text.split("Countries by name")[1].split("Across countries, none named")[0]
    for code in SHARING:
        assert NAMES[code] in named_part, code
    for code in SHARING:
        overall = f"{NAMES[code]} Overall {score_text(expected[code].overall)}"
        assert overall in named_part, overall
    for measure_id in SCOPE:
        values = sorted(scores.measures[measure_id].score or 0.0 for scores in expected.values())
        figures = f"9 {score_text(values[0])} {score_text(median(values))} {score_text(values[-1])}"
        assert re.search(rf"{measure_id} \w+ measure {re.escape(figures)}", text), (measure_id, figures)
    figures_part = text.split("Items answered of the items that apply")[1].split("Group strategies")[0]
    assert "PREV-1" not in figures_part and "Prevention measure" not in figures_part


def small_workshop(session: Session, make_user: Any) -> tuple[Workshop, User, User]:
    """A workshop on the mini questionnaire with its facilitator and one Thai participant."""
    facilitator, participant = make_user("facilitator"), make_user("official", "THA")
    settings = WorkshopSettings("Victim identification", None, None, "Jakarta", False, [], ["THA", "PHL"])
    workshop = create_workshop(session, facilitator, get_questionnaire(session, "mini", "1"), settings)
    request_to_join(session, participant, workshop, JoinChoice("THA", "Police", "protection"))
    accept_terms(session, participant, workshop)
    session.commit()
    return workshop, facilitator, participant


def test_only_the_workshops_facilitator_gets_the_report_and_its_link(
    app: Flask, client: FlaskClient, session: Session, make_user: Any
) -> None:
    workshop, facilitator, participant = small_workshop(session, make_user)
    login(as_participant := app.test_client(), participant.email)
    assert "report.pdf" not in as_participant.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert as_participant.get(f"/workshops/{workshop.id}/report.pdf").status_code == 403
    assert as_participant.get(f"/workshops/{workshop.id}/summary").status_code == 403
    login(as_other := app.test_client(), make_user("facilitator").email)
    assert as_other.get(f"/workshops/{workshop.id}/report.pdf").status_code == 404
    login(client, facilitator.email)
    assert f"/workshops/{workshop.id}/report.pdf" in client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    response = client.get(f"/workshops/{workshop.id}/report.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"] == f'attachment; filename="ctsat-workshop-{workshop.id}-report.pdf"'


def test_a_summary_that_is_too_long_is_refused_and_what_was_typed_is_kept(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    workshop, facilitator, _participant = small_workshop(session, make_user)
    login(client, facilitator.email)
    url = f"/workshops/{workshop.id}/summary"
    typed = "Group work went well. " * 1000
    response = post(client, url, url, {"summary": typed}, status=400)
    page = response.get_data(as_text=True)
    assert "keep it under" in page and "Group work went well." in page
    session.refresh(workshop)
    assert workshop.summary == ""
    post(client, url, url, {"summary": "  Group work went well.\r\n\r\nNext: national follow-up.  "})
    session.refresh(workshop)
    assert workshop.summary == "Group work went well.\n\nNext: national follow-up."
