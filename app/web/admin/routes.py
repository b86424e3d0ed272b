"""Administration of users and countries (administrators only)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import Session

from app.models import User
from app.services import administration
from app.services.accounts import AccountRefused
from app.web.account.forms import agency_suggestions, language_choices, role_labels, show_refusal
from app.web.admin import security  # noqa: F401 - registers its pages
from app.web.admin.blueprint import blueprint
from app.web.admin.forms import CountryForm, EditUserForm, ResetPasswordForm, UserFilterForm, UserForm, kind_labels
from app.web.country_names import country_label, reader_language
from app.web.database import db

__all__ = ["blueprint"]


@blueprint.get("/")
def index() -> ResponseReturnValue:
    return render_template("admin/index.html", show_outbox=security.outbox_shown())


@blueprint.get("/users")
def users() -> ResponseReturnValue:
    session = db()
    names = administration.country_names(session, reader_language())
    form = UserFilterForm(formdata=request.args)
    form.role.choices = [("", _("All roles")), *role_labels().items()]
    form.country.choices = [("", _("All countries")), *names.items()]
    status = 200
    query = administration.UserQuery(page=request.args.get("page", 1, type=int))
    if form.validate():
        query = administration.UserQuery(
            form.role.data or None, form.country.data or None, form.q.data or "", query.page
        )
    else:
        status = 400
    found = administration.list_users(session, current_user, query)
    filters = {"q": query.text, "role": query.role, "country": query.country_code}
    return render_template(
        "admin/users.html",
        form=form,
        found=found,
        filters={key: value for key, value in filters.items() if value},
        countries=names,
        roles=role_labels(),
    ), status


def _user_form_choices(form: UserForm, session: Session) -> None:
    form.role.choices = list(role_labels().items())
    form.country_code.choices = [
        ("", _("No country")),
        *administration.country_names(session, reader_language()).items(),
    ]
    form.language.choices = language_choices(current_app.config["LANGUAGES"])


def _user_fields(form: UserForm, active: bool = True) -> administration.UserFields:
    return administration.UserFields(
        email=form.email.data or "",
        name=form.name.data or "",
        role=form.role.data or "",
        country_code=form.country_code.data or None,
        agency=form.agency.data,
        language=form.language.data or "",
        active=active,
    )


def _render_user_form(form: UserForm, user: User | None) -> ResponseReturnValue:
    return render_template(
        "admin/user.html",
        form=form,
        user=user,
        agencies=agency_suggestions(),
        reset_form=ResetPasswordForm() if user else None,
    ), 400 if request.method == "POST" else 200


@blueprint.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int) -> ResponseReturnValue:
    session = db()
    user = administration.get_account(session, current_user, user_id)
    form = EditUserForm(obj=user)
    _user_form_choices(form, session)
    if not form.is_submitted():
        form.country_code.data = user.country_code or ""
    if form.validate_on_submit():
        before = (user.role, user.country_code, user.active, user.email)
        try:
            administration.update_account(
                session,
                current_user,
                user.id,
                _user_fields(form, bool(form.active.data)),
                current_app.config["LANGUAGES"],
            )
        except AccountRefused as error:
            show_refusal(form, error)
        else:
            security.record_account_change(session, user, before)
            session.commit()
            flash(_("The changes to %(name)s are saved.", name=user.name), "info")
            return redirect(url_for(".edit_user", user_id=user.id))
    return _render_user_form(form, user)


@blueprint.get("/countries")
def countries() -> ResponseReturnValue:
    rows = administration.list_countries(db(), current_user, reader_language())
    return render_template("admin/countries.html", rows=rows, kinds=kind_labels())


@blueprint.route("/countries/<code>", methods=["GET", "POST"])
def edit_country(code: str) -> ResponseReturnValue:
    session = db()
    country = administration.get_country(session, current_user, code)
    form = CountryForm(obj=country)
    form.kind.choices = list(kind_labels().items())
    if form.validate_on_submit():
        fields = administration.CountryFields(form.name.data or "", form.subregion.data, form.kind.data or "")
        try:
            administration.update_country(session, current_user, country.code, fields)
        except AccountRefused as error:
            show_refusal(form, error)
        else:
            session.commit()
            flash(_("%(country)s is saved.", country=country_label(country)), "info")
            return redirect(url_for(".countries"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "admin/country.html", form=form, country=country, subregions=administration.subregions(session)
    ), status
