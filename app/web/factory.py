"""The application factory: named steps, in the order they must run."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from flask import Flask
from flask_babel import get_locale
from markupsafe import Markup

from app.core.numbers import format_number_text
from app.core.questionnaire import localise
from app.security import can_manage
from app.services.notifications import is_overdue
from app.services.readiness import redis_check
from app.services.rich_text import clean_html
from app.services.translations import compile_interface
from app.web import sessions
from app.web.account.forms import language_choices as language_names
from app.web.account.forms import role_labels
from app.web.answer_input import interface_symbols
from app.web.converters import register_converters
from app.web.country_names import country_label
from app.web.database import db, init_database
from app.web.errors import register_errorhandlers
from app.web.extensions import RTL_LANGUAGES, babel, csrf, limiter, login_manager, select_locale
from app.web.headers import register_headers
from app.web.input_guard import register_input_guard
from app.web.metrics import register_metrics
from app.web.request_log import register_request_log
from app.web.translation_state import is_draft
from config import load_config

HTML_LANG = {"zh": "zh-Hans"}  # the interface's Chinese is Simplified


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, static_folder="static", template_folder="templates")
    app.config.update(load_config(config))
    init_database(app)
    register_request_log(app)
    register_metrics(app)
    register_queue_check(app)
    register_extensions(app)
    register_converters(app)
    register_input_guard(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_headers(app)
    register_template_helpers(app)
    register_mail(app)
    return app


def register_mail(app: Flask) -> None:
    from app.services.mail import configure
    from app.web.mail import mail_settings

    with app.app_context():
        configure(mail_settings())


def register_extensions(app: Flask) -> None:
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    register_catalogues(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    from app.web.account.second_factor import enforce_second_factor

    app.before_request(enforce_second_factor)

    @login_manager.user_loader
    def load_user(user_id: str) -> Any:
        from app.models import User

        who = sessions.signed_in()
        if who is None or str(who.user_id) != user_id:
            sessions.refuse()
            return None
        user = db().get(User, who.user_id)
        if user is None or not sessions.is_current(user, who):
            sessions.refuse()
            return None
        return user


def register_queue_check(app: Flask) -> None:
    """What /readyz asks of the task queue: Redis answers when REDIS_URL is set.

    The queue's own module may set ``app.extensions["ctsat.queue_check"]`` instead (a callable
    returning None when the queue answers, else what is wrong).
    """
    if app.config.get("REDIS_URL"):
        app.extensions["ctsat.queue_check"] = redis_check(app.config["REDIS_URL"])


def register_blueprints(app: Flask) -> None:
    from app.web.account.routes import blueprint as account
    from app.web.admin.routes import blueprint as admin
    from app.web.api.routes import blueprint as api
    from app.web.assessments.routes import blueprint as assessments
    from app.web.auth.routes import blueprint as auth
    from app.web.cycles.routes import blueprint as cycles
    from app.web.editor.proposals import blueprint as country_updates
    from app.web.editor.routes import blueprint as editor
    from app.web.editor.translations import blueprint as translations
    from app.web.evidence.routes import blueprint as evidence
    from app.web.exports.routes import blueprint as exports
    from app.web.invitations.routes import blueprint as invitations
    from app.web.language.routes import blueprint as language
    from app.web.library.routes import blueprint as library
    from app.web.main.routes import blueprint as main
    from app.web.plans.routes import blueprint as plans
    from app.web.reports.routes import blueprint as reports
    from app.web.search.routes import blueprint as search
    from app.web.workshops.routes import blueprint as workshops

    limiter.exempt(api)  # only sign-in and joining are rate-limited; autosave stays cheap
    for blueprint in (
        main,
        auth,
        assessments,
        cycles,
        plans,
        exports,
        reports,
        evidence,
        api,
        admin,
        account,
        invitations,
        library,
        search,
        workshops,
        editor,
        country_updates,
        translations,
        language,
    ):
        app.register_blueprint(blueprint)


def register_template_helpers(app: Flask) -> None:
    @app.template_filter("localise")
    def localise_filter(text: dict[str, str]) -> str:
        return localise(text, str(get_locale() or "en"))

    @app.template_filter("rich_text")
    def rich_text_filter(text: str) -> Markup:
        """Editors' rich text (or plain text) as HTML cleaned by nh3: the only way it reaches ``|safe``."""
        return Markup(clean_html(text or ""))

    @app.template_filter("number_input")
    def number_input_filter(value: str | None) -> str:
        """A number item's value as the interface language writes it in its field ("1234,5" in Bahasa Indonesia)."""
        return format_number_text(value, interface_symbols()) if value else ""

    app.add_template_global(country_label, "country_label")

    @app.template_global("is_overdue")
    def is_overdue_global(assignment: Any) -> bool:
        """An open assignment past its due date reads "Overdue", wherever it is shown."""
        return is_overdue(assignment, date.today())

    @app.context_processor
    def layout_values() -> dict[str, Any]:
        locale = str(get_locale() or "en")
        direction = "rtl" if locale.split("_")[0] in RTL_LANGUAGES else "ltr"
        return {
            "text_direction": direction,
            "locale": locale,
            "html_lang": HTML_LANG.get(locale, locale.replace("_", "-")),
            "can_manage": can_manage,
            "interface_languages": app.config["LANGUAGE_CHOICES"],
            "draft_language": is_draft(locale),
            "user_role_label": role_label,
        }


def role_label(role: str) -> str:
    """A role as people call it, in the interface's language (the stored code if unknown)."""
    return role_labels().get(role, role)


def register_catalogues(app: Flask) -> None:
    """Compile stale catalogues (which languages are drafts is read as pages render: ``translation_state``)."""
    root = Path(app.config["TRANSLATIONS_PATH"])
    languages = app.config["LANGUAGES"]
    try:
        compile_interface(root, languages)
    except OSError:  # a read-only install: the .mo files shipped with it are used as they are
        pass
    app.config["LANGUAGE_CHOICES"] = language_names(languages)
