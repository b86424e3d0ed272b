"""The ``ctsat`` console commands."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from app.cli_accounts import COMMANDS
from app.core.answer_file import answer_warnings, read_answers_file
from app.core.errors import AnswerError, QuestionnaireError
from app.core.library import Library
from app.core.loader import library_folder_for, load_library, load_questionnaire, validate_paths
from app.core.questionnaire import Questionnaire
from app.core.results import Results, assess, results_as_dict
from config import ROOT, load_config

DEFAULT_QUESTIONNAIRE = ROOT / "questionnaires" / "ctsat-1.0"


@click.group()
def cli() -> None:
    """CTSAT, the Counter-Trafficking Self-Assessment Toolkit."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Check questionnaire and library files; print each problem as file:line: path: message."""
    from app.core.duplicates import near_duplicates

    problems, questionnaires, library = validate_paths(list(paths))
    for problem in problems:
        click.echo(str(problem))
    for questionnaire in questionnaires:
        for pair in near_duplicates(questionnaire):
            click.echo(f"warning: {questionnaire.key}: {pair}", err=True)
    if problems:
        click.echo(f"{len(problems)} problem(s) found.", err=True)
        sys.exit(1)
    items = sum(len(questionnaire.items) for questionnaire in questionnaires)
    summary = f"OK: {len(questionnaires)} questionnaire(s), {items} items"
    if library is not None:
        summary += (
            f"; library: {len(library.resources)} resources, {len(library.practices)} practices,"
            f" {len(library.countries)} countries"
        )
    click.echo(summary)


@cli.command()
@click.argument("answers_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--questionnaire",
    "questionnaire_path",
    type=click.Path(exists=True, path_type=Path),
    default=DEFAULT_QUESTIONNAIRE,
    show_default=True,
    help="Questionnaire folder or file.",
)
@click.option("--profile", default="", help="Country profile, e.g. origin,destination (default: all items apply).")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.option("--top", default=5, show_default=True, help="How many gaps to list.")
def score(answers_file: Path, questionnaire_path: Path, profile: str, as_json: bool, top: int) -> None:
    """Score a YAML or JSON file of `item_id: level` answers."""
    try:
        folder = library_folder_for(questionnaire_path if questionnaire_path.is_dir() else questionnaire_path.parent)
        library = load_library(folder) if folder else Library()
        questionnaire = load_questionnaire(questionnaire_path, library)
        data = read_answers_file(answers_file, questionnaire, profile)
    except (QuestionnaireError, AnswerError) as error:
        raise click.ClickException(str(error)) from None
    for warning in answer_warnings(questionnaire, data):
        click.echo(f"warning: {warning}", err=True)
    results = assess(questionnaire, library, data)
    if as_json:
        click.echo(json.dumps(results_as_dict(results, questionnaire, library, top=top), indent=2, ensure_ascii=False))
    else:
        click.echo(_score_text(results, questionnaire, library, top))


def _score_text(results: Results, questionnaire: Questionnaire, library: Library, top: int) -> str:
    data = results_as_dict(results, questionnaire, library, top=top)
    overall = data["overall"]
    lines = [
        f"{questionnaire.key}: overall {_num(overall['score'])} ({overall['band'] or '-'}),"
        f" {overall['completeness']:.0%} complete",
        "",
    ]
    for pillar in data["pillars"]:
        cap = f"  capped by {', '.join(pillar['capped_by'])}" if pillar["capped_by"] else ""
        lines.append(
            f"{pillar['title']:<40} {_num(pillar['score']):>6}  {pillar['band'] or '-':<12}"
            f" {pillar['completeness']:>5.0%}{cap}"
        )
        for measure in (m for m in data["measures"] if m["pillar"] == pillar["id"]):
            lines.append(
                f"  {measure['id']:<8} {measure['title'][:50]:<50} {_num(measure['score']):>6}"
                f"  {measure['band'] or '-':<12} {measure['answered']}/{measure['applicable']}"
            )
    lines += ["", f"Top {min(top, len(results.gaps))} of {len(results.gaps)} gaps:"]
    for gap in data["gaps"]:
        lines.append(f"  [{gap['priority']}] {gap['item']} {gap['question']} (level {gap['level']} of {gap['target']})")
        if gap["next_level_text"]:
            lines.append(f"      next: {gap['next_level_text']}")
        for link in gap["resources"][:2] + gap["practices"][:1]:
            lines.append(f"      see: {link['title']}")
    if results.data_gaps:
        lines += ["", f"Data gaps (don't know): {', '.join(results.data_gaps)}"]
    return "\n".join(lines)


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _app(overrides: dict[str, Any] | None = None) -> Any:
    from app.web.factory import create_app

    return create_app(overrides)


@cli.command("content-report")
@click.option("--path", type=click.Path(exists=True, path_type=Path), default=DEFAULT_QUESTIONNAIRE, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def content_report_command(path: Path, as_json: bool) -> None:
    """Counts per measure and what the content still lacks."""
    from app.core.content_report import content_report
    from app.core.editorial import MEASURE_TEXTS, read_measure_texts

    try:
        folder = library_folder_for(path if path.is_dir() else path.parent)
        library = load_library(folder) if folder else Library()
        questionnaire = load_questionnaire(path, library)
        texts = read_measure_texts(folder / f"{MEASURE_TEXTS}.yaml", set(questionnaire.measures))[0] if folder else []
        report = content_report(questionnaire, library, texts)
    except QuestionnaireError as error:
        raise click.ClickException(str(error)) from None
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
        return
    click.echo(
        f"{report.items} items ({report.critical_items} critical), {report.resources} resources, "
        f"{report.practices} practices, {report.countries} country profiles, "
        f"{report.indicator_sets} indicator sets ({report.indicators} weighted indicators)"
    )
    click.echo(
        f"{report.resources_with_url} resources with a URL, {report.practices_with_source_url} practices with a "
        f"source link, treaty entries {report.treaty_entries_known} known / {report.treaty_entries_unknown} unknown"
    )
    click.echo(f"{'measure':<8} {'items':>5} {'crit':>4} {'res':>4} {'prac':>4}")
    for measure_id, counts in report.per_measure.items():
        click.echo(
            f"{measure_id:<8} {counts.items:>5} {counts.critical_items:>4} {counts.resources:>4} {counts.practices:>4}"
        )
    for label, values in (
        ("Measures below the minimum", [f"{k}: {', '.join(v)}" for k, v in report.measures_below_minimum.items()]),
        ("Items without sources", report.items_without_sources),
        ("Items without guidance", report.items_without_guidance),
        ("Resources linked by nothing", report.unlinked_resources),
        ("Practices linked by nothing", report.unlinked_practices),
        ("Countries with empty profiles", report.empty_country_profiles),
        ("Missing translations", [f"{k}: {len(v)} items" for k, v in report.missing_translations.items()]),
        ("Binding duties no item asks (and no reason given)", report.duties_uncovered),
        ("Critical items without a reason", report.critical_items_without_reason),
        ("States without treaty status", [f"{k}: {', '.join(v)}" for k, v in report.treaty_status_missing.items()]),
        ("Maturity items without their own level descriptors", report.items_without_level_descriptors),
        ("Measure pages without content", report.measure_pages_without_content),
        ("Near-identical items", report.near_duplicates),
        ("Resources with neither a URL nor a note why", report.resources_without_url_or_note),
        ("Practices with neither a source link nor a note why", report.practices_without_source_url_or_note),
    ):
        click.echo(f"{label}: {', '.join(values) if values else 'none'}")


@cli.command()
@click.option("--production", is_flag=True, help="Check what a production start needs; exit 1 if anything is wrong.")
def doctor(production: bool) -> None:
    """Say which optional system parts are missing (browser tests, PDF fonts, fast font subsetting)."""
    from app.environment import missing_parts

    if production:
        _doctor_production()
        return
    for part in missing_parts():
        click.echo(f"note: {part}", err=True)


def _doctor_production() -> None:
    import os

    from sqlalchemy.orm import Session

    from app.environment import production_problems
    from app.models.database import make_engine
    from app.services.readiness import readiness, redis_check

    config = load_config()
    problems = production_problems(config, dict(os.environ))
    engine = make_engine(config["DATABASE_URL"])
    try:
        with Session(engine) as session:
            queue = redis_check(config["REDIS_URL"]) if config["REDIS_URL"] else None
            checks = readiness(session, queue).checks
    finally:
        engine.dispose()
    for name, state in checks.items():
        if state != "ok":
            problems.append(f"{name}: {state}.")
    for problem in problems:
        click.echo(f"problem: {problem}")
    if problems:
        click.echo(f"{len(problems)} problem(s): fix them before serving CTSAT in production (docs/deploy.md).")
        sys.exit(1)
    click.echo("Ready for production: settings, database, migrations, queue, fonts and harfbuzz are in order.")


@cli.command("backup")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), required=False)
@click.option("--keep", type=int, default=None, help="Then delete all but the newest N backups in FOLDER.")
def backup_command(folder: Path | None, keep: int | None) -> None:
    """Back up the database and the instance files into FOLDER (default: CTSAT_BACKUP_DIR)."""
    from app.observability import logged_task
    from app.services.backups import BackupError, backup, prune

    config = load_config()
    folder = folder or config["BACKUP_DIR"]
    try:
        with logged_task("backup"):
            path = backup(config["DATABASE_URL"], config["INSTANCE_PATH"], folder)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backup written: {path}")
    if keep is not None:
        for old in prune(folder, keep):
            click.echo(f"Deleted old backup: {old}")


@cli.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(archive: Path, yes: bool) -> None:
    """Replace the database and instance files with ARCHIVE's (stop the app and the queue consumer first)."""
    from app.services.backups import BackupError, restore

    config = load_config()
    if not yes:
        click.confirm("This replaces everything in the database with the backup. Go on?", abort=True)
    try:
        manifest = restore(archive, config["DATABASE_URL"], config["INSTANCE_PATH"])
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored the backup of {manifest.created} ({manifest.database}); the database is up to date.")


@cli.command("db-upgrade")
def db_upgrade() -> None:
    """Apply every database migration (creates the database if needed)."""
    from app.services.migrations import upgrade

    upgrade(load_config()["DATABASE_URL"])
    click.echo("Database is up to date.")


@cli.command()
@click.option(
    "--path", type=click.Path(exists=True, path_type=Path), default=ROOT / "questionnaires", show_default=True
)
@click.option("--force", is_flag=True, help="Also overwrite library entries changed in the web since.")
def load(path: Path, force: bool) -> None:
    """Validate and load questionnaires and the knowledge base into the database (all or nothing)."""
    from app.services.catalog import forget_cached
    from app.services.content import load_content
    from app.web.database import db

    with _app().app_context():
        try:
            report = load_content(db(), path, force=force)
        except QuestionnaireError as error:
            raise click.ClickException(f"nothing was loaded:\n{error}") from None
        forget_cached()
    click.echo(
        f"Questionnaires: {len(report.questionnaires_added)} added, {len(report.questionnaires_updated)} updated, "
        f"{len(report.questionnaires_unchanged)} unchanged; library entries written: {report.library_written}; "
        f"countries written: {report.countries_written}."
    )
    _echo_skipped(report.skipped)


def _echo_skipped(skipped: list[str]) -> None:
    if skipped:
        click.echo(
            f"Kept {len(skipped)} library entr{'y' if len(skipped) == 1 else 'ies'} changed in the web since"
            " (not overwritten; --force overwrites them):"
        )
        for name in skipped:
            click.echo(f"  {name}")


@cli.command("export-library")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def export_library_command(folder: Path) -> None:
    """Write the whole knowledge base, with every web edit, as YAML files like questionnaires/library/."""
    from app.services.library_files import export_library
    from app.web.database import db

    with _app().app_context():
        counts = export_library(db(), folder)
    for name, count in counts.items():
        click.echo(f"  {folder / name}: {count}")
    click.echo(f"Exported {sum(counts.values())} entries to {folder}.")


@cli.command("import-library")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Also overwrite entries changed in the web since.")
def import_library_command(folder: Path, force: bool) -> None:
    """Validate a folder of library YAML files and apply it (all or nothing); print what changed."""
    from app.services.catalog import forget_cached
    from app.services.library_files import import_library
    from app.web.database import db

    with _app().app_context():
        session = db()
        try:
            report = import_library(session, folder, force=force)
        except QuestionnaireError as error:
            raise click.ClickException(f"nothing was imported:\n{error}") from None
        session.commit()
        forget_cached()
    for label, names in (("added", report.added), ("changed", report.changed)):
        for name in names:
            click.echo(f"  {label}: {name}")
    click.echo(f"Added {len(report.added)}, changed {len(report.changed)}, unchanged {report.unchanged}.")
    _echo_skipped(report.skipped)


@cli.command("seed-demo")
def seed_demo_command() -> None:
    """Create the demo users and a half-answered assessment (keeps what exists) and print the logins."""
    from app.services.demo import seed_demo
    from app.web.database import db

    app = _app()
    with app.app_context():
        logins = seed_demo(db(), app.config["INSTANCE_PATH"] / "demo-logins.txt")
    click.echo("Demo logins (passwords are generated; also kept in instance/demo-logins.txt):")
    for login in logins:
        where = f" ({login.country})" if login.country else ""
        click.echo(f"  {login.role:<12}{where:<7} {login.email:<40} {login.password}")
    click.echo(
        "Admins, editors, facilitators and coordinators sign in with a second factor: for a demo user,"
        " `.venv/bin/ctsat demo-code EMAIL` prints the current code (or add the secret kept in"
        " instance/demo-logins.txt to an authenticator app)."
    )
    click.echo("E-mails (invitations, resets, notifications) are written to instance/mail/ as .eml files.")


@cli.command("report")
@click.argument("assessment_id", type=int)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File to write.")
@click.option(
    "--kind",
    type=click.Choice(["gap", "brief", "comparison", "summary"]),
    default="gap",
    show_default=True,
    help="Which report: the gap analysis, the minister's brief, the comparison with the previous cycle, "
    "or the one-page summary.",
)
@click.option(
    "--format",
    "format_",
    type=click.Choice(["pdf", "docx", "xlsx"]),
    default="pdf",
    show_default=True,
    help="PDF, or the gap analysis and action plan as editable Word (docx) or Excel (xlsx).",
)
@click.option("--language", default="en", show_default=True, help="Language of the report's own words.")
def report_command(assessment_id: int, output: Path, kind: str, format_: str, language: str) -> None:
    """Write an assessment's report (operators see every country's assessments)."""
    from app.core.errors import NotFound
    from app.reporting.documents import check_report
    from app.services.reports import ReportUnavailable, assessment_for_report, build_report, report_assets
    from app.web.database import db

    try:
        check_report(kind, format_)
    except ReportUnavailable as error:
        raise click.ClickException(str(error)) from None
    app = _app()
    with app.app_context():
        try:
            assessment = assessment_for_report(db(), assessment_id)
            produced = build_report(db(), assessment, report_assets(app.config), kind, language, format_)
        except (NotFound, ReportUnavailable) as error:
            raise click.ClickException(str(error)) from None
    output.write_bytes(produced.content)
    pages = f"{produced.pages} page{'' if produced.pages == 1 else 's'}, " if produced.pages else ""
    click.echo(f"Wrote {output} ({pages}{produced.seconds:.2f} s).")


@cli.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice(["official", "coordinator", "facilitator", "editor", "admin"]))
@click.option("--country", default=None, help="ISO 3166 alpha-3 code, for officials and coordinators.")
@click.option("--agency", default=None)
@click.password_option()
def create_user_command(
    email: str, name: str, role: str, country: str | None, agency: str | None, password: str
) -> None:
    """Create a user."""
    from app.services.accounts import AccountError, create_user
    from app.web.database import db

    with _app().app_context():
        session = db()
        try:
            create_user(session, email, name, password, role, country.upper() if country else None, agency)
        except AccountError as error:
            raise click.ClickException(str(error)) from None
        session.commit()
    click.echo(f"Created {role} {email}.")


for _command in COMMANDS:
    cli.add_command(_command)


if __name__ == "__main__":
    cli()


def _register_translations() -> None:
    from app.translations_command import translations

    cli.add_command(translations)


_register_translations()
