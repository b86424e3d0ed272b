"""Forms for administering users and countries."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from app.services.accounts import AGENCY_MAX, EMAIL_MAX, NAME_MAX
from app.services.administration import SUBREGION_MAX

TOO_LONG = _l("This is too long.")


def kind_labels() -> dict[str, str]:
    return {"state": _("State"), "organisation": _("Organisation")}


class UserFilterForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF ships no type hints
    """The user list's filters: read from the query string, so no CSRF token."""

    class Meta:
        csrf = False

    q = StringField(_l("Name, email or agency contains"), validators=[Optional(), Length(max=200, message=TOO_LONG)])
    role = SelectField(_l("Role"), default="")
    country = SelectField(_l("Country"), default="")


class UserForm(FlaskForm):  # type: ignore[misc]
    email = EmailField(
        _l("Email"),
        validators=[
            DataRequired(_l("Enter an email address.")),
            Length(max=EMAIL_MAX, message=TOO_LONG),
            Regexp(r"^\s*[^@\s]+@[^@\s]+\.[^@\s.]+\s*$", message=_l("Enter an email address like name@ministry.gov.")),
        ],
    )
    name = StringField(
        _l("Name"), validators=[DataRequired(_l("Enter a name.")), Length(max=NAME_MAX, message=TOO_LONG)]
    )
    role = SelectField(_l("Role"))
    country_code = SelectField(
        _l("Country"),
        description=_l("Required for country officials and coordinators; they see only this country's assessments."),
    )
    agency = StringField(
        _l("Agency"),
        validators=[Optional(), Length(max=AGENCY_MAX, message=TOO_LONG)],
        description=_l("For example police, prosecution, immigration or social welfare."),
    )
    language = SelectField(_l("Interface language"))


class EditUserForm(UserForm):
    active = BooleanField(
        _l("Active (may sign in)"),
        description=_l("A deactivated user cannot sign in; their answers and history are kept."),
    )


class ResetPasswordForm(FlaskForm):  # type: ignore[misc]
    """Only the CSRF token: the new password is generated."""


class CountryForm(FlaskForm):  # type: ignore[misc]
    name = StringField(
        _l("Name"), validators=[DataRequired(_l("Enter the country's name.")), Length(max=200, message=TOO_LONG)]
    )
    subregion = StringField(
        _l("Subregion"),
        validators=[Optional(), Length(max=SUBREGION_MAX, message=TOO_LONG)],
        description=_l("For example South-East Asia or Pacific; used to group countries."),
    )
    kind = SelectField(_l("Kind"))
