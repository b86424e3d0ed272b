"""Administration use cases: users (list, edit) and countries (people join by invitation:
``app.services.account_links``).

Every function takes the acting user first and refuses anyone but an active administrator,
so no caller can forget the check. Refusals are ``AccountRefused`` with a stable reason code
that the web words for the user.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.core.countries import country_label, country_labels
from app.core.errors import N_, NotFound, PermissionDenied
from app.models import Assessment, Country, Notification, User
from app.models.users import ROLES
from app.security import COUNTRY_ROLES, PARTICIPANT_ROLE
from app.services.accounts import (
    AccountRefused,
    clean_agency,
    clean_name,
    end_sessions,
    normalise_email,
    valid_email,
    void_reset_links,
)
from app.services.search import index_entry

PAGE_SIZE = 50
COUNTRY_KINDS = ("state", "organisation")
SUBREGION_MAX = 60


def require_admin(actor: User) -> None:
    if not (actor.active and actor.role == "admin"):
        raise PermissionDenied(N_("only administrators can manage users and countries"))


# Users


@dataclass(frozen=True)
class UserQuery:
    role: str | None = None
    country_code: str | None = None
    text: str = ""
    page: int = 1


@dataclass(frozen=True)
class UserPage:
    users: list[User]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class UserFields:
    email: str
    name: str
    role: str
    country_code: str | None = None
    agency: str | None = None
    language: str = "en"
    active: bool = True


def list_users(session: Session, actor: User, query: UserQuery) -> UserPage:
    """Users matching the filters, by name, PAGE_SIZE to a page (a page past the end shows the last)."""
    require_admin(actor)
    conditions = []
    if query.role:
        conditions.append(User.role == query.role)
    if query.country_code:
        conditions.append(User.country_code == query.country_code)
    if text := query.text.strip().lower():
        conditions.append(
            or_(
                func.lower(User.name).contains(text, autoescape=True),
                func.lower(User.email).contains(text, autoescape=True),
                func.lower(func.coalesce(User.agency, "")).contains(text, autoescape=True),
            )
        )
    total = session.scalar(select(func.count(User.id)).where(*conditions)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, query.page), pages)
    users = session.scalars(
        select(User).where(*conditions).order_by(User.name, User.id).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    )
    return UserPage(list(users), total, page, pages)


def get_account(session: Session, actor: User, user_id: int) -> User:
    require_admin(actor)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("no such user")
    return user


def update_account(session: Session, actor: User, user_id: int, fields: UserFields, languages: Collection[str]) -> User:
    """Change a user's details; administrators cannot demote or deactivate themselves."""
    user = get_account(session, actor, user_id)
    fields = checked_fields(session, fields, languages, user)
    if user.id == actor.id and fields.role != "admin":
        raise AccountRefused("self_demotion", "role")
    if user.id == actor.id and not fields.active:
        raise AccountRefused("self_deactivation", "active")
    if (user.email, user.role, user.country_code, user.active) != (
        fields.email,
        fields.role,
        fields.country_code,
        fields.active,
    ):
        end_sessions(user)  # what they may see changed: their open sessions must not outlive it
    if user.email != fields.email:
        void_reset_links(session, user)  # a link sent to the old address must not take the account
    if (user.role, user.country_code, user.active) != (fields.role, fields.country_code, fields.active):
        _drop_waiting_notices(session, user)
    user.email, user.name, user.role = fields.email, fields.name, fields.role
    user.country_code, user.agency, user.language = fields.country_code, fields.agency, fields.language
    user.active = fields.active
    session.flush()
    return user


def _drop_waiting_notices(session: Session, user: User) -> None:
    """Notices kept for the digest were written for what the person could see before the change."""
    session.execute(delete(Notification).where(Notification.user_id == user.id, Notification.sent_at.is_(None)))


def checked_fields(session: Session, fields: UserFields, languages: Collection[str], user: User | None) -> UserFields:
    """The fields cleaned, or AccountRefused naming the first field that is wrong."""
    email = normalise_email(fields.email)
    if not valid_email(email):
        raise AccountRefused("email_invalid", "email", email)
    same_email = select(User.id).where(User.email == email)
    if user is not None:
        same_email = same_email.where(User.id != user.id)
    if session.scalar(same_email) is not None:
        raise AccountRefused("email_taken", "email", email)
    if fields.role not in ROLES:
        raise AccountRefused("role_unknown", "role", fields.role)
    country_code = (fields.country_code or "").strip().upper() or None
    if fields.role == PARTICIPANT_ROLE:
        country_code = None  # a participant's country is the one each workshop admitted them for
    if country_code is None and fields.role in COUNTRY_ROLES:
        raise AccountRefused("country_required", "country_code", fields.role)
    if country_code is not None and session.get(Country, country_code) is None:
        raise AccountRefused("country_unknown", "country_code", country_code)
    if fields.language not in languages:
        raise AccountRefused("language_unknown", "language", fields.language)
    return UserFields(
        email=email,
        name=clean_name(fields.name),
        role=fields.role,
        country_code=country_code,
        agency=clean_agency(fields.agency),
        language=fields.language,
        active=fields.active,
    )


# Countries


@dataclass(frozen=True)
class CountryRow:
    country: Country
    users: int
    assessments: int


@dataclass(frozen=True)
class CountryFields:
    name: str
    subregion: str | None
    kind: str


def country_names(session: Session, language: str = "en") -> dict[str, str]:
    """Every country's name in ``language`` by code, in order of that name (for selects and tables)."""
    rows = session.execute(select(Country.code, Country.name))
    return country_labels(((code, name) for code, name in rows), language)


def list_countries(session: Session, actor: User, language: str = "en") -> list[CountryRow]:
    """Every country with how many users and assessments it has (three queries in all), in order of
    its name in ``language``."""
    require_admin(actor)
    users = _count_by_country(session, User.country_code, User.id)
    assessments = _count_by_country(session, Assessment.country_code, Assessment.id)
    countries = sorted(session.scalars(select(Country)), key=lambda c: country_label(c.code, c.name, language))
    return [CountryRow(c, users.get(c.code, 0), assessments.get(c.code, 0)) for c in countries]


def _count_by_country(
    session: Session, code_column: InstrumentedAttribute[Any], id_column: InstrumentedAttribute[Any]
) -> dict[str, int]:
    rows = session.execute(select(code_column, func.count(id_column)).group_by(code_column))
    return {code: count for code, count in rows if code is not None}


def get_country(session: Session, actor: User, code: str) -> Country:
    require_admin(actor)
    country = session.get(Country, code.upper())
    if country is None:
        raise NotFound("no such country")
    return country


def subregions(session: Session) -> list[str]:
    rows = session.scalars(select(Country.subregion).where(Country.subregion.is_not(None)).distinct())
    return sorted(row for row in rows if row)


def update_country(session: Session, actor: User, code: str, fields: CountryFields) -> Country:
    """Rename or reclassify a country; its public profile shows the same name, subregion and kind."""
    country = get_country(session, actor, code)
    name = " ".join(fields.name.split())
    if not name:
        raise AccountRefused("country_name_missing", "name")
    if len(name) > 200:
        raise AccountRefused("too_long", "name")
    subregion = " ".join((fields.subregion or "").split()) or None
    if subregion is not None and len(subregion) > SUBREGION_MAX:
        raise AccountRefused("too_long", "subregion")
    if fields.kind not in COUNTRY_KINDS:
        raise AccountRefused("kind_unknown", "kind", fields.kind)
    country.name, country.subregion, country.kind = name, subregion, fields.kind
    if country.profile:
        country.profile = {**country.profile, "name": name, "subregion": subregion, "kind": fields.kind}
    session.flush()
    index_entry(session, "country", country.code)  # search finds it by its new name at once
    return country
