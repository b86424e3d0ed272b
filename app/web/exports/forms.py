"""Forms for uploading a filled workbook and confirming its import."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField
from wtforms.validators import DataRequired

ACCEPTED_EXTENSIONS = ("xlsx", "csv")


class UploadForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF ships no type hints
    file = FileField(
        _l("Filled workbook or CSV file"),
        validators=[
            FileRequired(_l("Choose the file to upload.")),
            FileAllowed(ACCEPTED_EXTENSIONS, _l("Upload an Excel workbook (.xlsx) or a CSV file (.csv).")),
        ],
    )


class ConfirmForm(FlaskForm):  # type: ignore[misc]
    """The stored upload's token and the fingerprint of the preview the user saw.

    The conflicts the user chose to take from the file arrive as ``accept`` checkboxes.
    """

    token = HiddenField(validators=[DataRequired()])
    state = HiddenField(validators=[DataRequired()])
