from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF ships no type hints
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class SecondFactorForm(FlaskForm):  # type: ignore[misc]
    code = StringField(
        _l("Code"),
        validators=[DataRequired(_l("Enter the code.")), Length(max=40)],
        description=_l("The 6-digit code your authenticator app shows now, or one of your recovery codes."),
    )


class ForgotPasswordForm(FlaskForm):  # type: ignore[misc]
    email = EmailField(
        _l("Email"),
        validators=[DataRequired(_l("Enter your email address.")), Length(max=254)],
        description=_l("The address you sign in with."),
    )
