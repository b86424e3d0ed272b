"""A workshop's sharing terms: what the facilitator sets at set-up and every participant accepts.

The terms, not the national coordinator's sharing setting (which still governs national cycles),
decide what the board, the projector, the groups and the workshop report show of each country's
workshop assessment. In every case a country's own admitted participants see their own country's
results, and every figure across countries that does not name them needs at least
``MIN_COUNTRIES`` (3) countries.

========================  ================================  ==============================  ==========================
terms                     participants see                  facilitators see                the report shows
========================  ================================  ==============================  ==========================
``everyone``              every country's results by name   every country's results         every country by name
``facilitators``          their own country only            every country's results         every country by name,
                                                            by name                         marked for facilitators
``anonymous``             their own country, and spreads    every country's progress;       spreads (lowest, median,
                          over at least 3 countries         results only as spreads         highest) only
``private``               their own country only            every country's progress only   progress only
========================  ================================  ==============================  ==========================

Progress (items answered of those that apply) is shown per country to the facilitators under
all terms, as before. The projector is seen by the whole room, so it shows only what every
participant may see. Similar-country groups are formed from results, so they are suggested only
under terms that show the facilitators results by name (``everyone``, ``facilitators``).

``private`` is what workshops made before terms existed get (migration 0014): it shows nobody
more than the old per-country opt-in did. Terms are fixed once a participant accepted them: a
participant consented to the terms they read, so a change could only be made with the consent
of all who answered under the old ones (see ``app.services.workshop_terms``).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.errors import N_

TERMS = ("everyone", "facilitators", "anonymous", "private")
DEFAULT_TERMS = "private"


@dataclass(frozen=True)
class TermsWording:
    """What the set-up form, the acceptance page and the report say about the terms."""

    title: str
    participants: str
    facilitators: str
    report: str


WORDING: dict[str, TermsWording] = {
    "everyone": TermsWording(
        N_("Results shared with all participants"),
        N_("Every participant sees every country's scores, strengths and gaps by name."),
        N_("The facilitators see every country's scores, strengths and gaps by name."),
        N_("The workshop report shows every country's results by name."),
    ),
    "facilitators": TermsWording(
        N_("Results shared only with the facilitators"),
        N_("Participants see only their own country's results."),
        N_("The facilitators see every country's scores, strengths and gaps by name and form groups from them."),
        N_("The workshop report shows every country's results by name and is for the facilitators only."),
    ),
    "anonymous": TermsWording(
        N_("Only anonymous spreads"),
        N_(
            "Participants see their own country's results and, of the other countries, only the lowest,"
            " median and highest score of each measure over at least three countries."
        ),
        N_("The facilitators see every country's progress, and results only as spreads over at least three countries."),
        N_("The workshop report shows results only as spreads over at least three countries."),
    ),
    "private": TermsWording(
        N_("Results stay with each country"),
        N_("Participants see only their own country's results."),
        N_("The facilitators see every country's progress (items answered), no results."),
        N_("The workshop report shows each country's progress and no results."),
    ),
}


@dataclass(frozen=True)
class Disclosure:
    """What one viewer may see of countries other than their own under the workshop's terms."""

    named: bool  # each country's scores, strengths and gaps by name
    spreads: bool  # spreads per measure over at least three countries

    @property
    def results(self) -> bool:
        return self.named or self.spreads


def check_terms(terms: str) -> str:
    if terms not in TERMS:
        raise ValueError(f"unknown sharing terms {terms!r}")
    return terms


def for_participants(terms: str) -> Disclosure:
    """What an admitted participant who accepted the terms sees of the other countries (and the room)."""
    check_terms(terms)
    return Disclosure(named=terms == "everyone", spreads=terms in ("everyone", "anonymous"))


def for_facilitators(terms: str) -> Disclosure:
    check_terms(terms)
    return Disclosure(named=terms in ("everyone", "facilitators"), spreads=terms != "private")


def for_report(terms: str) -> Disclosure:
    """The report is the facilitators' download; under "facilitators" it is marked for them only."""
    return for_facilitators(terms)


def groups_from_results(terms: str) -> bool:
    """Similar-country groups come from results: only when the facilitators see results by name."""
    return for_facilitators(terms).named
