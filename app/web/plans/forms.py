"""The action form (full, while the plan is a draft) and the status form (a final cycle's plan)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.core.actions import ActionFields
from app.core.questionnaire import Questionnaire, localise
from app.models.assessments import ACTION_STATUSES
from app.services.plans import MAX_SHORT, MAX_TEXT, MAX_TITLE, ends_before_start, items_outside_measure


def status_labels() -> dict[str, str]:
    return {
        "planned": _("Planned"),
        "in_progress": _("In progress"),
        "done": _("Done"),
        "delayed": _("Delayed"),
        "dropped": _("Dropped"),
    }


def _too_long(limit: int) -> Any:
    return Length(max=limit, message=_l("Keep this to %(max)d characters or fewer."))


class _StatusField(SelectField):  # type: ignore[misc]  # WTForms ships no type hints
    def pre_validate(self, form: Any) -> None:
        if self.data not in ACTION_STATUSES:
            raise ValidationError(_("Choose one of the listed statuses."))


class StatusForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF ships no type hints
    status = _StatusField(_l("New status"), validate_choice=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.status.choices = list(status_labels().items())


class ActionForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF ships no type hints
    title = TextAreaField(
        _l("Action"),
        validators=[DataRequired(message=_l("Write what will be done.")), _too_long(MAX_TITLE)],
        description=_l("What will be done, e.g. “Adopt standard operating procedures for victim identification”."),
    )
    measure_id = SelectField(_l("Measure"), validate_choice=False)
    item_ids = SelectMultipleField(_l("Items this action addresses"), validate_choice=False)
    lead_agency = StringField(_l("Lead agency"), validators=[_too_long(MAX_SHORT)])
    partners = TextAreaField(_l("Partners"), validators=[_too_long(MAX_TEXT)])
    start = DateField(_l("Start date"), validators=[Optional()])
    end = DateField(_l("End date"), validators=[Optional()])
    budget = StringField(
        _l("Budget"), validators=[_too_long(MAX_SHORT)], description=_l("Free text, e.g. “USD 40,000 (donor-funded)”.")
    )
    indicator = TextAreaField(
        _l("Indicator"),
        validators=[_too_long(MAX_TEXT)],
        description=_l("How you will know it is done, e.g. “SOP adopted and used by all border posts”."),
    )
    status = _StatusField(_l("Status"), validate_choice=False, default="planned")

    def __init__(self, questionnaire: Questionnaire, language: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        self.measure_id.choices = [("", _("Choose a measure"))] + [
            (measure.id, f"{measure.id} {localise(measure.title, language)}")
            for measure in questionnaire.measures.values()
        ]
        self.status.choices = list(status_labels().items())
        measure = questionnaire.measures.get(self.measure_id.data or "")
        self.item_ids.choices = [
            (item.id, f"{item.id} {localise(item.question, language)}") for item in (measure.items if measure else [])
        ]

    @property
    def other_items(self) -> list[str]:
        """Items ticked that are not items of the chosen measure: shown again so nothing is lost."""
        own = {value for value, _label in self.item_ids.choices}
        return [item_id for item_id in self.item_ids.data or () if item_id not in own]

    def validate_measure_id(self, field: Any) -> None:
        if field.data not in self.questionnaire.measures:
            raise ValidationError(_("Choose the measure this action belongs to."))

    def validate_item_ids(self, field: Any) -> None:
        if self.measure_id.data not in self.questionnaire.measures:
            return
        outside = items_outside_measure(self.questionnaire, self.measure_id.data, tuple(field.data or ()))
        if outside:
            raise ValidationError(
                _(
                    "%(items)s not part of measure %(measure)s. Choose items of the measure.",
                    items=", ".join(outside),
                    measure=self.measure_id.data,
                )
            )

    def validate_end(self, field: Any) -> None:
        if ends_before_start(self.start.data, field.data):
            raise ValidationError(_("The end date must be on or after the start date."))

    def draft(self) -> ActionFields:
        return ActionFields(
            title=self.title.data or "",
            measure_id=self.measure_id.data or None,
            item_ids=tuple(self.item_ids.data or ()),
            lead_agency=self.lead_agency.data or "",
            partners=self.partners.data or "",
            start=self.start.data,
            end=self.end.data,
            budget=self.budget.data or "",
            indicator=self.indicator.data or "",
            status=self.status.data or "planned",
        )
