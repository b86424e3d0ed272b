"""Fixtures for report tests: plain-value inputs (no database), rendering once per session, and
the poppler tools (pdftotext, pdffonts) that read a PDF as a person's viewer would."""

from __future__ import annotations

import gc
import os
import random
import re
import shutil
import subprocess
import time
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from app.core.actions import ActionFields
from app.core.answers import Answer, AssessmentInput
from app.core.library import Library
from app.core.loader import load_library, load_questionnaire
from app.core.questionnaire import Questionnaire
from app.core.results import assess
from app.reporting.builder import gap_report, layout, render_html, write_pdf
from app.reporting.fetcher import ReportAssets
from app.reporting.inputs import GapReportInput, ItemNote, PreviousCycle, ReportMeta

ROOT = Path(__file__).resolve().parents[2]
ASSETS = ReportAssets(ROOT / "reports")
CONTENT = ROOT / "questionnaires"


def meta(**fields: Any) -> ReportMeta:
    values: dict[str, Any] = {
        "assessment_id": 7,
        "country_code": "THA",
        "country_name": "Thailand",
        "native_name": "ประเทศไทย",
        "assessment_title": "National self-assessment 2026",
        "status": "draft",
        "started": date(2026, 3, 2),
        "generated": date(2026, 11, 23),
        "confidentiality": "Confidential",
        "roles": ("origin", "destination"),
    }
    values.update(fields)
    return ReportMeta(**values)


def answers_at(questionnaire: Questionnaire, levels: Mapping[str, int | str]) -> AssessmentInput:
    """Answers from ``item_id: level`` (or "dont_know")."""
    answers = {}
    for item_id, level in levels.items():
        assert item_id in questionnaire.items, item_id
        answers[item_id] = (
            Answer(item_id, dont_know=True) if level == "dont_know" else Answer(item_id, level=int(level))
        )
    return AssessmentInput(answers=answers)


MINI_LEVELS: dict[str, int | str] = {
    "PROS-1.1": 2,
    "PROS-1.2": 1,
    "PROS-1.3": 3,
    "PROS-2.1": 0,
    "PROS-2.2": "dont_know",
    "PROT-1.1": 4,
    "PROT-1.2": 1,
}


def mini_input(
    questionnaire: Questionnaire,
    library: Library,
    *,
    levels: Mapping[str, int | str] = MINI_LEVELS,
    notes: Mapping[str, ItemNote] | None = None,
    actions: Sequence[ActionFields] = (),
    previous: Mapping[str, int | str] | None = None,
    peers: Mapping[str, Sequence[str]] | None = None,
    **meta_fields: Any,
) -> GapReportInput:
    results = assess(questionnaire, library, answers_at(questionnaire, levels))
    before = None
    if previous is not None:
        scores = assess(questionnaire, library, answers_at(questionnaire, previous)).scores
        before = PreviousCycle("Self-assessment 2024", date(2024, 5, 6), scores)
    return GapReportInput(
        meta=meta(**meta_fields),
        questionnaire=questionnaire,
        library=library,
        results=results,
        notes=notes or {},
        actions=actions,
        previous=before,
        peers=peers or {},
    )


def demo_answers(questionnaire: Questionnaire) -> AssessmentInput:
    """The answers ``ctsat seed-demo`` gives Thailand (app/services/demo.py): every other scored
    item and every item others depend on, at levels drawn from Random(2026)."""
    chance = random.Random(2026)
    scored = [item for item in questionnaire.items.values() if item.scored]
    parents = set(questionnaire.children)
    answers = {}
    for item in [item for index, item in enumerate(scored) if index % 2 == 0 or item.id in parents]:
        level = chance.choice([0, 2, 4]) if item.type == "yes_no" else chance.randint(0, 4)
        answers[item.id] = Answer(item.id, level=level)
    return AssessmentInput(answers=answers, roles=frozenset({"origin", "transit", "destination"}))


@dataclass(frozen=True)
class Rendered:
    """One rendered report: its HTML, laid-out document, PDF and the CPU seconds it took."""

    html: str
    document: Any
    pdf: bytes
    cpu_seconds: float

    @property
    def pages(self) -> int:
        return len(self.document.pages)


def render(data: GapReportInput, assets: ReportAssets = ASSETS) -> Rendered:
    """Render and time a report as a fresh worker would: the objects the test session has piled
    up so far are frozen out of the garbage collector's reach, so its passes over them (which
    grow with the suite, not with the report) do not count in the report's time."""
    gc.collect()
    gc.freeze()
    try:
        started = time.process_time()
        report = gap_report(data, assets)
        html = render_html("gap.html", assets, report.language, report=report)
        document = layout(html, assets)
        pdf = write_pdf(document)
        return Rendered(html, document, pdf, time.process_time() - started)
    finally:
        gc.unfreeze()


@pytest.fixture(scope="session")
def real_library() -> Library:
    return load_library(CONTENT / "library")


@pytest.fixture(scope="session")
def real_questionnaire(real_library: Library) -> Questionnaire:
    return load_questionnaire(CONTENT / "ctsat-1.0", real_library)


@pytest.fixture(scope="session")
def demo_report(real_questionnaire: Questionnaire, real_library: Library) -> Rendered:
    """The demo assessment's report (ctsat-1.0, half answered), rendered once for the session."""
    results = assess(real_questionnaire, real_library, demo_answers(real_questionnaire))
    data = GapReportInput(
        meta=meta(roles=("origin", "transit", "destination")),
        questionnaire=real_questionnaire,
        library=real_library,
        results=results,
    )
    write_pdf(layout('<link rel="stylesheet" href="fonts.css"><p>Warm-up</p>', ASSETS))  # import and fonts, once
    return render(data)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing in CI: .ci/run must install poppler-utils")
        pytest.skip(f"{name} (poppler-utils) is not installed; CI runs these tests")
    return path


def pdf_tool(name: str, pdf: bytes, tmp_path: Path, *args: str) -> str:
    """Run a poppler tool (pdftotext, pdffonts, pdfinfo) on ``pdf`` and return its output."""
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    arguments = [_tool(name), *args, str(path)] + (["-"] if name == "pdftotext" else [])
    return subprocess.run(arguments, check=True, capture_output=True, text=True).stdout


def page_texts(pdf: bytes, tmp_path: Path) -> list[str]:
    """The text of each page, as pdftotext reads it."""
    return pdf_tool("pdftotext", pdf, tmp_path, "-enc", "UTF-8").split("\f")[:-1]


TOLERANCE = 0.5  # CSS px


def overflowing_text(document: Any) -> list[str]:
    """Text that sticks out of its page's content area (or, for headers and footers, out of the page)."""
    from weasyprint.formatting_structure import boxes

    found = []
    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box
        left, top = page_box.margin_left, page_box.margin_top
        right, bottom = left + page_box.width, top + page_box.height
        for area in page_box.children:
            inside_margin = isinstance(area, boxes.MarginBox)
            box_left, box_top, box_right, box_bottom = (
                (0, 0, page.width, page.height) if inside_margin else (left, top, right, bottom)
            )
            for box in area.descendants():
                if not isinstance(box, boxes.TextBox) or not box.text.strip():
                    continue
                if (
                    box.position_x < box_left - TOLERANCE
                    or box.position_x + box.width > box_right + TOLERANCE
                    or box.position_y < box_top - TOLERANCE
                    or box.position_y + box.height > box_bottom + TOLERANCE
                ):
                    found.append(f"page {number}: {box.text[:60]!r} at x={box.position_x:.1f} w={box.width:.1f}")
    return found


def elements_on_pages(document: Any, css_class: str) -> dict[int, list[int]]:
    """For each element with ``css_class``: the pages (1-based) its boxes are on."""
    pages: dict[int, list[int]] = {}
    for number, page in enumerate(document.pages, start=1):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None and css_class in (element.get("class") or "").split():
                seen = pages.setdefault(id(element), [])
                if number not in seen:
                    seen.append(number)
    return pages


def bookmark_labels(document: Any) -> list[tuple[int, str, int]]:
    """(level, label, page) of every PDF bookmark, depth first."""
    labels: list[tuple[int, str, int]] = []

    def walk(tree: Any, level: int) -> None:
        for label, destination, children, _state in tree:
            labels.append((level, label, destination[0] + 1))
            walk(children, level + 1)

    walk(document.make_bookmark_tree(), 1)
    return labels


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF's objects with their compressed streams inflated (to find /Lang, /Outlines, ...)."""
    parts = [pdf]
    for match in re.finditer(rb"/Length (\d+)[^>]*>>\s*stream\r?\n", pdf):
        chunk = pdf[match.end() : match.end() + int(match.group(1))]
        try:
            parts.append(zlib.decompress(chunk))
        except zlib.error:
            continue
    return b"\n".join(parts)
