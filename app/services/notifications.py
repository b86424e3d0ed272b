"""Where CTSAT will tell people what is theirs to do. There is no e-mail system yet (a later
issue builds it): each function here is the one place its message will be sent from, called
once per person, and for now only logs that the message is due."""

from __future__ import annotations

import logging
from datetime import date

from app.models import Assessment, User

log = logging.getLogger("ctsat.notifications")


def notify_assigned(assessment: Assessment, measure_id: str, assignee: User, due: date | None) -> None:
    """``assignee`` has just been given ``measure_id`` of ``assessment`` to answer (by ``due``).

    The e-mail will be sent from here. Nothing is sent yet; the assignee sees the measure on the
    assessment's page (marked "You") and on their home page."""
    log.info(
        "assignment notification due: assessment %s, measure %s, user %s, due %s",
        assessment.id,
        measure_id,
        assignee.id,
        due.isoformat() if due else "-",
    )
