"""The stated maximum length, in characters, of every long text people type.

Forms and the API refuse longer text with a clear message (the services check, so every way in is
covered); the database refuses it too, with a CHECK constraint per column (``TEXT_COLUMNS``), so a
path that forgets cannot store 9 MB. Short texts are ``String(n)`` columns whose forms state ``n``.
"""

from __future__ import annotations

ANSWER_TEXT = 10_000  # an answer's value, reason, comment and evidence
NOTE = 5_000  # a review note (accept / send back) or a status note (back to draft, submit, finalise)
PLAN_TITLE = 500
PLAN_SHORT = 200
PLAN_TEXT = 2_000  # an action's partners and indicator
STRATEGY_ACTIONS = 10_000
WORKSHOP_SUMMARY = 20_000
EVALUATION_TEXT = 2_000  # one free-text answer of a workshop evaluation
UPDATE_COMMENT = 2_000  # a coordinator's note on a proposed country update
UPDATE_REASON = 2_000  # an editor's reason for rejecting one

# The request guard's net: no single field of a form, query or JSON body may be longer than this.
ANY_FIELD = 100_000

# (table, column) -> maximum length, enforced by the database. Migration 0009 writes the same values.
TEXT_COLUMNS: dict[tuple[str, str], int] = {
    ("answers", "value"): ANSWER_TEXT,
    ("answers", "reason"): ANSWER_TEXT,
    ("answers", "comment"): ANSWER_TEXT,
    ("answers", "evidence"): ANSWER_TEXT,
    ("review_notes", "text"): NOTE,
    ("actions", "title"): PLAN_TITLE,
    ("actions", "partners"): PLAN_TEXT,
    ("actions", "indicator"): PLAN_TEXT,
    ("strategies", "actions"): STRATEGY_ACTIONS,
    ("workshops", "summary"): WORKSHOP_SUMMARY,
    ("country_updates", "comment"): UPDATE_COMMENT,
    ("country_updates", "reason"): UPDATE_REASON,
}


def too_long(text: str | None, limit: int) -> bool:
    return text is not None and len(text) > limit
