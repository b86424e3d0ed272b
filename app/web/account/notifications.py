"""Each person chooses, per kind of notification, whether it comes at once, in a daily digest or not at all."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.services import notifications as notices
from app.web.account.blueprint import blueprint
from app.web.database import db


def kind_labels() -> dict[str, str]:
    return {
        "assigned": _("A measure is assigned to me"),
        "due_soon": _("A measure of mine is due in 3 days"),
        "overdue": _("A measure of mine is overdue"),
        "sent_back": _("A measure of mine is sent back with a note"),
        "review_waiting": _("A measure waits for my review (coordinators)"),
        "assessment_status": _("My country's assessment is submitted or finalised"),
        "country_update": _("My country-profile update is approved or rejected"),
        "workshop_admission": _("The facilitator decides on my workshop place"),
    }


def timing_labels() -> dict[str, str]:
    return {"immediate": _("At once"), "digest": _("In a daily digest"), "off": _("Not at all")}


@blueprint.route("/notifications", methods=["GET", "POST"])
@login_required
def notifications() -> ResponseReturnValue:
    if request.method == "POST":
        choices = {kind: request.form.get(kind, "") for kind in notices.KINDS}
        if any(value not in notices.TIMINGS for value in choices.values()):
            flash(_("Choose one of the options for every kind of e-mail."), "error")
            return render_template(
                "account/notifications.html", kinds=kind_labels(), timings=timing_labels(), current=choices
            ), 400
        notices.set_timings(current_user, choices)
        db().commit()
        flash(_("Your e-mail choices are saved."), "info")
        return redirect(url_for(".notifications"))
    current = {kind: notices.timing(current_user, kind) for kind in notices.KINDS}
    return render_template("account/notifications.html", kinds=kind_labels(), timings=timing_labels(), current=current)
