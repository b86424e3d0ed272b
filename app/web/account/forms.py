"""Forms for a user's own profile and password, and the wording of refused account changes."""

from __future__ import annotations

from collections.abc import Iterable

from babel import Locale, UnknownLocaleError
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from app.services.accounts import AGENCY_MAX, MIN_PASSWORD, NAME_MAX, PASSWORD_MAX, AccountRefused

OWN_NAMES = {"id": "Bahasa Indonesia", "zh": "中文（简体）"}  # where Babel's own name is not what people call it


def language_choices(codes: Iterable[str]) -> list[tuple[str, str]]:
    """Each interface language named in its own language (how people look for theirs)."""
    choices = []
    for code in codes:
        if code in OWN_NAMES:
            choices.append((code, OWN_NAMES[code]))
            continue
        try:
            label = Locale.parse(code).get_display_name(code) or code
        except (ValueError, UnknownLocaleError):
            label = code
        choices.append((code, label[:1].upper() + label[1:]))
    return choices


def role_labels() -> dict[str, str]:
    """The roles as PRODUCT.md names them, in the order of app.models.users.ROLES."""
    return {
        "official": _("Country official"),
        "coordinator": _("Country coordinator"),
        "facilitator": _("Facilitator"),
        "editor": _("Content editor"),
        "admin": _("Administrator"),
    }


def agency_suggestions() -> list[str]:
    return [
        _("Police"),
        _("Prosecution"),
        _("Immigration"),
        _("Social welfare"),
        _("Labour"),
        _("Foreign affairs"),
        _("Justice"),
    ]


def refusal_message(error: AccountRefused) -> str:
    """What to tell the user about a refused account change."""
    messages = {
        "email_invalid": _("Enter an email address like name@ministry.gov."),
        "email_taken": _("Another user already has this email address."),
        "name_missing": _("Enter a name."),
        "role_unknown": _("Choose one of the roles in the list."),
        "country_required": _("Officials and coordinators must belong to a country: choose one."),
        "country_unknown": _("Choose one of the countries in the list."),
        "language_unknown": _("Choose one of the languages in the list."),
        "self_demotion": _("You cannot take the administrator role away from yourself. Ask another administrator."),
        "self_deactivation": _("You cannot deactivate your own account. Ask another administrator."),
        "wrong_password": _("This is not your current password."),
        "password_short": _("The new password needs at least %(count)s characters.", count=MIN_PASSWORD),
        "password_long": _("The new password is too long."),
        "password_common": _(
            "This password is too easy to guess: it is a common password or close to one, or to your name or"
            " e-mail. A few unrelated words make a strong one."
        ),
        "country_name_missing": _("Enter the country's name."),
        "kind_unknown": _("Choose state or organisation."),
        "too_long": _("This is too long."),
        "invitation_pending": _("This address has a pending invitation already: resend it from the list instead."),
        "link_invalid": _("This link does not work any more: it was used, withdrawn or has expired."),
    }
    return str(messages.get(error.reason, _("Please check this value.")))


def show_refusal(form: FlaskForm, error: AccountRefused) -> None:
    """Attach the refusal to the form field it concerns (or to the form as a whole)."""
    field: Field | None = getattr(form, error.field, None)
    if isinstance(field, Field):
        field.errors = [*field.errors, refusal_message(error)]
    else:
        form.form_errors.append(refusal_message(error))


class ProfileForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF ships no type hints
    name = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Enter your name.")), Length(max=NAME_MAX, message=_l("This is too long."))],
    )
    agency = StringField(
        _l("Agency"),
        validators=[Optional(), Length(max=AGENCY_MAX, message=_l("This is too long."))],
        description=_l("The ministry or agency you work for, for example police or social welfare."),
    )
    language = SelectField(_l("Interface language"), validate_choice=True)


def new_password_field() -> PasswordField:
    return PasswordField(
        _l("New password"),
        validators=[
            DataRequired(_l("Enter a new password.")),
            Length(
                min=MIN_PASSWORD,
                max=PASSWORD_MAX,
                message=_l(
                    "The new password needs between %(min)s and %(max)s characters.", min=MIN_PASSWORD, max=PASSWORD_MAX
                ),
            ),
        ],
        description=_l("At least %(count)s characters. A few unrelated words make a strong one.", count=MIN_PASSWORD),
    )


def confirm_password_field() -> PasswordField:
    return PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(_l("Enter the new password a second time.")),
            EqualTo("new_password", message=_l("The two new passwords are not the same.")),
        ],
    )


class NewPasswordForm(FlaskForm):  # type: ignore[misc]
    """A new password without the current one: from a reset or an invitation link."""

    new_password = new_password_field()
    confirm_password = confirm_password_field()


class InvitationAcceptForm(NewPasswordForm):
    name = StringField(
        _l("Your name"),
        validators=[DataRequired(_l("Enter your name.")), Length(max=NAME_MAX, message=_l("This is too long."))],
    )


class PasswordForm(FlaskForm):  # type: ignore[misc]
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password."))]
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(_l("Enter a new password.")),
            Length(
                min=MIN_PASSWORD,
                max=PASSWORD_MAX,
                message=_l(
                    "The new password needs between %(min)s and %(max)s characters.", min=MIN_PASSWORD, max=PASSWORD_MAX
                ),
            ),
        ],
        description=_l("At least %(count)s characters. A few unrelated words make a strong one.", count=MIN_PASSWORD),
    )
    confirm_password = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(_l("Enter the new password a second time.")),
            EqualTo("new_password", message=_l("The two new passwords are not the same.")),
        ],
    )
