"""``ctsat translations export|import|review|status``: the catalogues translators work on.

Interface catalogues live in ``app/translations/<lang>/LC_MESSAGES/messages.po``; questionnaire
catalogues in ``questionnaires/<questionnaire>/translations/<lang>.po``. Both are ordinary gettext
PO files, so national translators can use Poedit or Weblate.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface

from app.core.editorial import MEASURE_TEXTS, read_measure_texts
from app.core.library_translation import library_text_units
from app.core.loader import library_folder_for, load_library, load_questionnaire
from app.core.questionnaire import SOURCE_LANGUAGE, Questionnaire
from app.services.translations import (
    CatalogueStatus,
    catalogue_status,
    compile_interface,
    import_catalogue,
    interface_catalogue,
    library_catalogue,
    mark_reviewed,
    questionnaire_catalogue,
    questionnaire_template,
    read_catalogue,
    units_template,
    update_catalogue,
    write_catalogue,
)
from config import LANGUAGES, ROOT, TRANSLATIONS

QUESTIONNAIRE = ROOT / "questionnaires" / "ctsat-1.0"
TEMPLATE = TRANSLATIONS / "messages.pot"
TRANSLATED = [language for language in LANGUAGES if language != SOURCE_LANGUAGE]
CATALOGUES = click.Choice(["interface", "questionnaire", "library"])
FOLDER = click.Path(exists=True, file_okay=False, path_type=Path)
REVIEWED_HELP = "The file comes from a native-speaking reviewer: mark its strings reviewed."


def _questionnaire(folder: Path) -> Questionnaire:
    library_path = library_folder_for(folder)
    return load_questionnaire(folder, load_library(library_path) if library_path else None)


def _library_template(library_path: Path) -> Catalog:
    """The library's texts (summaries, descriptions, measure pages; never titles or citations)."""
    texts, problems = read_measure_texts(library_path / f"{MEASURE_TEXTS}.yaml")
    if problems:
        raise click.ClickException("\n".join(str(problem) for problem in problems))
    units = library_text_units(load_library(library_path), texts)
    return units_template(units, "CTSAT library", "1")


def _target(catalogue: str, language: str, folder: Path) -> Path:
    if catalogue == "interface":
        return interface_catalogue(TRANSLATIONS, language)
    if catalogue == "library":
        library_path = library_folder_for(folder)
        if library_path is None:
            raise click.ClickException(f"no library beside {folder}")
        return library_catalogue(library_path, language)
    return questionnaire_catalogue(folder, language)


@click.group()
def translations() -> None:
    """Translators' catalogues: export, import, review, status."""


@translations.command()
@click.option("--language", "languages", multiple=True, type=click.Choice(TRANSLATED), help="Only these.")
@click.option("--questionnaire", "folder", type=FOLDER, default=QUESTIONNAIRE)
def export(languages: tuple[str, ...], folder: Path) -> None:
    """Extract the English strings and bring every language's catalogue up to date (translations kept)."""
    with contextlib.chdir(ROOT):  # locations relative to the repository, the same on every machine
        CommandLineInterface().run(  # type: ignore[no-untyped-call]
            ["pybabel", "-q", "extract", "-F", "babel.cfg", "--add-location=file", "--sort-by-file",
             "--omit-header", "-o", str(TEMPLATE), "."]
        )  # fmt: skip
    interface = read_catalogue(TEMPLATE)
    questionnaire = questionnaire_template(_questionnaire(folder))
    library_path = library_folder_for(folder)
    library = _library_template(library_path) if library_path else None
    for language in languages or TRANSLATED:
        targets = [(interface, interface_catalogue(TRANSLATIONS, language)),
                   (questionnaire, questionnaire_catalogue(folder, language))]  # fmt: skip
        if library is not None and library_path is not None:
            targets.append((library, library_catalogue(library_path, language)))
        for template, path in targets:
            write_catalogue(update_catalogue(template, path, language), path)
            click.echo(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    compile_interface(TRANSLATIONS, languages or TRANSLATED)


@translations.command("import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--language", required=True, type=click.Choice(TRANSLATED))
@click.option("--catalogue", type=CATALOGUES, default="questionnaire", show_default=True)
@click.option("--reviewed", is_flag=True, help=REVIEWED_HELP)
@click.option("--questionnaire", "folder", type=FOLDER, default=QUESTIONNAIRE)
def import_command(source: Path, language: str, catalogue: str, reviewed: bool, folder: Path) -> None:
    """Take a translator's PO file into the language's catalogue."""
    target = _target(catalogue, language, folder)
    if not target.exists():
        raise click.ClickException(f"{target} does not exist: run `ctsat translations export` first")
    result = import_catalogue(source, target, language, reviewed=reviewed)
    if catalogue == "interface":
        compile_interface(TRANSLATIONS, [language])
    click.echo(f"{language} {catalogue}: {result.translated} translation(s) taken, {result.reviewed} marked reviewed")
    if result.unknown:
        click.echo(f"{result.unknown} string(s) of the file are not in the catalogue (English changed since): skipped")


@translations.command()
@click.option("--language", required=True, type=click.Choice(TRANSLATED))
@click.option("--catalogue", type=CATALOGUES, default="questionnaire", show_default=True)
@click.option("--questionnaire", "folder", type=FOLDER, default=QUESTIONNAIRE)
def review(language: str, catalogue: str, folder: Path) -> None:
    """Mark a whole catalogue reviewed (an editor's decision after a native speaker approved it)."""
    count = mark_reviewed(_target(catalogue, language, folder), language)
    if catalogue == "interface":
        compile_interface(TRANSLATIONS, [language])
    click.echo(f"{language} {catalogue}: {count} string(s) marked reviewed")


def statuses(folder: Path = QUESTIONNAIRE) -> list[tuple[CatalogueStatus, CatalogueStatus, CatalogueStatus]]:
    library_path = library_folder_for(folder)
    return [
        (
            catalogue_status(interface_catalogue(TRANSLATIONS, language), "interface", language),
            catalogue_status(questionnaire_catalogue(folder, language), "questionnaire", language),
            catalogue_status(library_catalogue(library_path, language), "library", language)
            if library_path
            else CatalogueStatus("library", language, 0, 0, 0),
        )
        for language in TRANSLATED
    ]


@translations.command()
@click.option("--questionnaire", "folder", type=FOLDER, default=QUESTIONNAIRE)
def status(folder: Path) -> None:
    """Per language: strings, translated, reviewed — interface, questionnaire and library."""
    click.echo(f"{'language':<9}{'interface: strings':>19}{'translated':>11}{'reviewed':>9}"
               f"{'questionnaire: strings':>23}{'translated':>11}{'reviewed':>9}"
               f"{'library: strings':>17}{'translated':>11}{'reviewed':>9}  state")  # fmt: skip
    for interface, questionnaire, library in statuses(folder):
        draft = interface.draft or questionnaire.draft or library.draft
        state = "draft" if draft else "reviewed" if interface.reviewed else "-"
        click.echo(
            f"{interface.language:<9}{interface.strings:>19}{interface.translated:>11}{interface.reviewed:>9}"
            f"{questionnaire.strings:>23}{questionnaire.translated:>11}{questionnaire.reviewed:>9}"
            f"{library.strings:>17}{library.translated:>11}{library.reviewed:>9}  {state}"
        )
