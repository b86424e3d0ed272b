"""Country names in the reader's language (issue 14): Babel's territory name in Thai or Arabic, the
product's own English names in English, on pages and in reports."""

from __future__ import annotations

from typing import Any

from babel import Locale
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.models import Assessment
from app.services import administration
from app.services.assessments import start_assessment
from app.services.catalog import get_questionnaire
from app.services.reports import gap_report_input
from tests.conftest import login

THAI = Locale.parse("th").territories["TH"]
ARABIC = Locale.parse("ar").territories["TH"]


def assessment_of_thailand(session: Session, make_user: Any) -> Assessment:
    questionnaire = get_questionnaire(session, "mini", "1")
    assessment = start_assessment(session, make_user("coordinator", "THA"), "THA", questionnaire, "Review", [])
    session.commit()
    return assessment


def names_shown(client: FlaskClient, assessment: Assessment, name: str) -> list[bool]:
    """Whether home (its table), the overview and the results (their subtitle) name the country ``name``."""
    home = client.get("/").get_data(as_text=True)
    pages = [client.get(f"/assessments/{assessment.id}{tail}").get_data(as_text=True) for tail in ("", "/results")]
    return [f"<td>{name}</td>" in home, *(f'<p class="muted">{name} · ' in page for page in pages)]


def test_a_thai_official_reads_thailand_in_thai(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment = assessment_of_thailand(session, make_user)
    login(client, make_user("official", "THA", language="th").email)
    assert names_shown(client, assessment, THAI) == [True, True, True]
    assert names_shown(client, assessment, "Thailand") == [False, False, False]


def test_an_english_official_reads_the_products_english_name(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment = assessment_of_thailand(session, make_user)
    login(client, make_user("official", "THA").email)
    assert names_shown(client, assessment, "Thailand") == [True, True, True]
    assert names_shown(client, assessment, THAI) == [False, False, False]


def test_an_arabic_reader_sees_babels_arabic_name(client: FlaskClient) -> None:
    page = client.get("/countries/THA", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert f"<h1>{ARABIC}" in page
    assert "ประเทศไทย" in page  # the native name is never translated


def test_country_profiles_list_in_order_of_the_localised_name(client: FlaskClient) -> None:
    page = client.get("/countries", headers={"Accept-Language": "th"}).get_data(as_text=True)
    thai = Locale.parse("th").territories
    south_east_asia = [f">{thai[code]}</a>" for code in ("TH", "PH", "ID", "VN", "KH", "LA", "MM")]
    assert sorted(south_east_asia, key=page.index) == sorted(south_east_asia)
    assert "Thailand</a>" not in page


def test_a_report_in_thai_names_the_country_in_thai(session: Session, make_user: Any) -> None:
    assessment = assessment_of_thailand(session, make_user)
    assert gap_report_input(session, assessment, language="th").meta.country_name == THAI
    assert gap_report_input(session, assessment, language="en").meta.country_name == "Thailand"


def test_selects_name_countries_in_the_readers_language_and_order(session: Session) -> None:
    thai = administration.country_names(session, "th")
    assert thai["THA"] == THAI and list(thai.values()) == sorted(thai.values())
    english = administration.country_names(session)
    assert english["THA"] == "Thailand" and list(english.values()) == sorted(english.values())
    assert list(thai) != list(english)  # else the order proves nothing


def test_an_admin_reading_arabic_filters_users_by_the_arabic_name(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    login(client, make_user("admin", language="ar").email)
    page = client.get("/admin/users").get_data(as_text=True)
    assert f'<option value="THA">{ARABIC}</option>' in page
