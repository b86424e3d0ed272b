"""Notifications by e-mail: who gets which, when, with a link to where the work is; each person's
choice (at once, daily digest, off); reminders from the periodic task with a frozen clock; and
"My work" on the home page."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.models import Assessment, User
from app.services.catalog import get_questionnaire
from app.services.cycles import CycleSettings, assign, start_cycle
from app.web.tasks import digests_task, reminders_task, run_digests, run_reminders
from tests.conftest import csrf_token, link_in, login, mail_text, outbox

SETTINGS = CycleSettings("Review 2026", ["origin"], "Confidential", "private", {})
TODAY = date(2026, 12, 7)


def started(session: Session, make_user: Any) -> tuple[Assessment, User]:
    coordinator = make_user("coordinator", "THA")
    assessment = start_cycle(session, coordinator, "THA", get_questionnaire(session, "mini", "1"), SETTINGS)
    session.commit()
    return assessment, coordinator


def post(client: FlaskClient, url: str, data: dict[str, Any], page: str = "/") -> Any:
    return client.post(url, data={"csrf_token": csrf_token(client.get(page).get_data(as_text=True)), **data})


def mails_to(app: Flask, address: str) -> list[Any]:
    return [message for message in outbox(app) if message["To"] == address]


def assign_on_the_web(client: FlaskClient, assessment: Assessment, official: User, due: str = "") -> Any:
    page = f"/assessments/{assessment.id}/assignments"
    return post(client, page, {"user-PROS-1": str(official.id), "due-PROS-1": due}, page)


def test_an_assigned_official_gets_an_e_mail_with_the_measure_link(
    app: Flask, client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment, coordinator = started(session, make_user)
    official = make_user("official", "THA")
    login(client, coordinator.email)
    assert assign_on_the_web(client, assessment, official, "2026-12-20").status_code == 302
    (mail,) = mails_to(app, official.email)
    assert mail["Subject"] == "PROS-1 is yours to answer"
    assert link_in(mail, "/assessments/") == f"/assessments/{assessment.id}/measures/PROS-1"
    assert "December 20, 2026" in mail_text(mail)
    assign_on_the_web(client, assessment, official, "2026-12-20")
    assert len(mails_to(app, official.email)) == 1  # saving again tells nobody twice
    assert not mails_to(app, coordinator.email)


def test_the_reviewer_is_told_a_measure_is_ready_and_the_official_that_it_was_sent_back(
    app: Flask, client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment, coordinator = started(session, make_user)
    official = make_user("official", "THA")
    assign(session, coordinator, assessment, "PROS-1", [official], None)
    session.commit()
    login(client, official.email)
    post(client, f"/assessments/{assessment.id}/measures/PROS-1/ready", {})
    (ready,) = mails_to(app, coordinator.email)
    assert link_in(ready, "/assessments/") == f"/assessments/{assessment.id}/review"
    reviewer = app.test_client()
    login(reviewer, coordinator.email)
    post(
        reviewer,
        f"/assessments/{assessment.id}/measures/PROS-1/review",
        {"decision": "send_back", "note": "Cite the 2008 Act"},
    )
    (back,) = [mail for mail in mails_to(app, official.email) if "sent back" in mail["Subject"]]
    assert "Cite the 2008 Act" in mail_text(back)
    assert link_in(back, "/assessments/") == f"/assessments/{assessment.id}/measures/PROS-1"
    home = client.get("/").get_data(as_text=True)
    assert "Sent back to you" in home and "Cite the 2008 Act" in home


def test_the_countrys_people_are_told_when_the_assessment_is_submitted_and_finalised(
    app: Flask, client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment, coordinator = started(session, make_user)
    official = make_user("official", "THA")
    elsewhere = make_user("official", "PHL")
    login(client, coordinator.email)
    review = f"/assessments/{assessment.id}/review"
    post(client, f"/assessments/{assessment.id}/status", {"status": "submitted", "confirmed": "1"}, review)
    final = {"status": "final", "confirmed": "1", "reason": "The workshop agreed to finalise what it could answer."}
    post(client, f"/assessments/{assessment.id}/status", final, review)
    subjects = [mail["Subject"] for mail in mails_to(app, official.email)]
    assert subjects == ["Thailand's assessment is submitted", "Thailand's assessment is final"]
    assert not mails_to(app, elsewhere.email) and not mails_to(app, coordinator.email)


def test_reminders_come_three_days_before_and_once_overdue_and_only_once(
    app: Flask, session: Session, make_user: Any
) -> None:
    assessment, coordinator = started(session, make_user)
    official = make_user("official", "THA")
    assign(session, coordinator, assessment, "PROS-1", [official], date(2026, 12, 10))
    session.commit()
    with time_machine.travel(datetime(2026, 12, 6, 9, 0), tick=False):
        assert run_reminders(app) == 0
    with time_machine.travel(datetime(2026, 12, 7, 9, 0), tick=False):
        assert run_reminders(app) == 1
        assert run_reminders(app) == 0
    (soon,) = mails_to(app, official.email)
    assert soon["Subject"] == "PROS-1 is due on December 10, 2026" and "in 3 days" in mail_text(soon)
    with time_machine.travel(datetime(2026, 12, 11, 9, 0), tick=False):
        assert run_reminders(app) == 1
        assert run_reminders(app) == 0
    overdue = mails_to(app, official.email)[-1]
    assert overdue["Subject"] == "PROS-1 is overdue"
    assert link_in(overdue, "/assessments/") == f"/assessments/{assessment.id}/measures/PROS-1"


def test_the_reminder_and_digest_schedules_are_periodic_tasks() -> None:
    assert reminders_task.s().validate_datetime(datetime(2026, 12, 7, 10, 7))
    assert not reminders_task.s().validate_datetime(datetime(2026, 12, 7, 10, 8))
    assert digests_task.s().validate_datetime(datetime(2026, 12, 7, 6, 30))


def test_an_overdue_assignment_reads_overdue_in_the_app(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment, coordinator = started(session, make_user)
    official = make_user("official", "THA")
    assign(session, coordinator, assessment, "PROS-1", [official], date.today() - timedelta(days=6))
    assign(session, coordinator, assessment, "PROS-2", [official], date.today() + timedelta(days=20))
    session.commit()
    login(client, official.email)
    home = client.get("/").get_data(as_text=True)
    assert "Overdue" in home and home.index("PROS-1") < home.index("PROS-2")
    reviewer = client.application.test_client()
    login(reviewer, coordinator.email)
    assert "Overdue" in reviewer.get(f"/assessments/{assessment.id}/assignments").get_data(as_text=True)


def test_my_work_lists_reviews_waiting_and_pending_invitations_for_a_coordinator(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment, coordinator = started(session, make_user)
    official = make_user("official", "THA")
    assign(session, coordinator, assessment, "PROS-1", [official], None)
    session.commit()
    official_client = client.application.test_client()
    login(official_client, official.email)
    post(official_client, f"/assessments/{assessment.id}/measures/PROS-1/ready", {})
    login(client, coordinator.email)
    post(
        client,
        "/invitations/",
        {"email": "new@tha.example", "name": "New One", "role": "official", "country_code": "THA", "language": "en"},
        "/invitations/",
    )
    home = client.get("/").get_data(as_text=True)
    assert "Waiting for your review" in home and f"/assessments/{assessment.id}/review" in home
    assert "1 invitation is pending." in home


def test_a_person_chooses_a_daily_digest_or_nothing_per_kind(
    app: Flask, client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment, coordinator = started(session, make_user)
    official = make_user("official", "THA")
    official_client = app.test_client()
    login(official_client, official.email)
    choices = {"assigned": "digest", "assessment_status": "off"}
    page = "/account/notifications"
    data = {
        kind: choices.get(kind, "immediate")
        for kind in (
            "assigned",
            "due_soon",
            "overdue",
            "sent_back",
            "review_waiting",
            "assessment_status",
            "country_update",
            "workshop_admission",
        )
    }
    assert post(official_client, page, data, page).status_code == 302
    login(client, coordinator.email)
    assign_on_the_web(client, assessment, official)
    post(
        client, f"/assessments/{assessment.id}/status", {"status": "submitted"}, f"/assessments/{assessment.id}/review"
    )
    assert not mails_to(app, official.email)
    assert run_digests(app) == 1
    (digest,) = mails_to(app, official.email)
    assert digest["Subject"] == "Your CTSAT digest: 1 notice" and "PROS-1 is yours to answer" in mail_text(digest)
    assert run_digests(app) == 0


def test_an_unknown_choice_is_a_clear_400(client: FlaskClient, make_user: Any) -> None:
    login(client, make_user("official", "THA").email)
    response = post(client, "/account/notifications", {"assigned": "hourly"}, "/account/notifications")
    assert response.status_code == 400


def test_e_mails_come_in_the_recipients_language(app: Flask, session: Session, make_user: Any) -> None:
    assessment, coordinator = started(session, make_user)
    official = make_user("official", "THA", language="th")
    assign(session, coordinator, assessment, "PROS-1", [official], date(2026, 12, 8))
    session.commit()
    from flask_babel import get_locale

    seen: list[str] = []
    with time_machine.travel(datetime(2026, 12, 7, 9, 0), tick=False):
        from app.web import notify

        original = notify.render_template

        def spy(*args: Any, **kwargs: Any) -> str:
            seen.append(str(get_locale()))
            return original(*args, **kwargs)

        notify.render_template = spy  # type: ignore[assignment]
        try:
            run_reminders(app)
        finally:
            notify.render_template = original  # type: ignore[assignment]
    assert seen == ["th"]


def test_a_rejected_country_update_tells_the_coordinator_the_reason(
    app: Flask, client: FlaskClient, session: Session, make_user: Any
) -> None:
    from app.models import CountryUpdate

    coordinator = make_user("coordinator", "THA")
    update = CountryUpdate(country_code="THA", submitted_by=coordinator.id, proposal={}, comment=None)
    session.add(update)
    session.commit()
    login(client, make_user("editor").email)
    page = f"/editor/updates/{update.id}"
    assert post(client, f"{page}/reject", {"reason": "No document link works"}, page).status_code == 302
    (mail,) = mails_to(app, coordinator.email)
    assert mail["Subject"] == "Your update to Thailand's profile is not approved"
    assert "No document link works" in mail_text(mail) and link_in(mail, "/my/country-updates")


def test_an_admitted_workshop_participant_is_told_with_the_workshop_link(
    app: Flask, client: FlaskClient, session: Session, make_user: Any
) -> None:
    from app.models import WorkshopParticipant
    from app.services.workshop_admission import JoinChoice, request_to_join
    from app.services.workshops import WorkshopSettings, create_workshop

    facilitator = make_user("facilitator")
    settings = WorkshopSettings("RSR training", None, None, "Bangkok", False, [], ["THA", "PHL", "IDN"])
    workshop = create_workshop(session, facilitator, get_questionnaire(session, "mini", "1"), settings)
    person = make_user("participant")
    request_to_join(session, person, workshop, JoinChoice("THA", "Police", "protection"))
    session.commit()
    place = session.query(WorkshopParticipant).filter_by(user_id=person.id).one()
    login(client, facilitator.email)
    page = f"/workshops/{workshop.id}/participants"
    assert post(client, f"{page}/{place.id}", {"decision": "admit"}, page).status_code == 302
    (mail,) = mails_to(app, person.email)
    assert mail["Subject"] == 'You are admitted to "RSR training"'
    assert link_in(mail, "/workshops/") == f"/workshops/{workshop.id}"
