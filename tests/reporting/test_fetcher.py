"""The report's URL fetcher serves its own stylesheets, images and allow-listed fonts, nothing else."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.reporting.fetcher import BASE_URL, AssetRefused, ReportAssets, report_fetcher, resolve_asset
from tests.reporting.conftest import ASSETS

NOTO = Path("/usr/share/fonts/truetype/noto")


def test_the_stylesheets_of_the_reports_folder_are_served() -> None:
    assert resolve_asset(ASSETS, BASE_URL + "report.css") == (ASSETS.folder / "report.css").resolve()


def test_fonts_shipped_in_the_reports_folder_are_served() -> None:
    found = resolve_asset(ASSETS, BASE_URL + "fonts/NotoSans-Regular.ttf")
    assert found == (ASSETS.folder / "fonts" / "NotoSans-Regular.ttf").resolve()


@pytest.mark.skipif(
    not (NOTO / "NotoSansThai-Regular.ttf").exists() and not os.environ.get("CI"),
    reason="fonts-noto-core is not installed; CI installs it and runs this test",
)
def test_installed_noto_fonts_are_served_by_name() -> None:
    assert (
        resolve_asset(ASSETS, BASE_URL + "fonts/NotoSansThai-Regular.ttf")
        == (NOTO / "NotoSansThai-Regular.ttf").resolve()
    )


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///work/main/reports/report.css",
        "http://127.0.0.1:5000/admin",
        "https://example.org/report.css",
        "data:text/css,body{}",
        BASE_URL + "../../etc/passwd",
        BASE_URL + "%2e%2e/%2e%2e/etc/passwd",
        BASE_URL + "report.css?x=1",
        BASE_URL + "report.css#top",
        BASE_URL + "gap.html",
        BASE_URL + "README.md",
        BASE_URL + "fonts/../../../etc/passwd.css",
        BASE_URL + "fonts/DejaVuSans.ttf",
        BASE_URL + "fonts/NotoSansThai-Regular.ttf/..",
        "https://report.ctsat.invalid.example.org/report.css",
        BASE_URL + "missing.css",
    ],
)
def test_anything_else_is_refused(url: str) -> None:
    with pytest.raises(AssetRefused):
        resolve_asset(ASSETS, url)


def test_a_link_out_of_the_reports_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "evil.css").symlink_to("/etc/passwd")
    with pytest.raises(AssetRefused):
        resolve_asset(ReportAssets(tmp_path), BASE_URL + "evil.css")


def test_only_font_folders_of_the_allow_list_serve_fonts(tmp_path: Path) -> None:
    (tmp_path / "NotoSansEvil-Regular.ttf").write_bytes(b"not a font")
    assets = ReportAssets(ASSETS.folder, font_folders=())
    with pytest.raises(AssetRefused):
        resolve_asset(assets, BASE_URL + "fonts/NotoSansThai-Regular.ttf")
    assert resolve_asset(ReportAssets(ASSETS.folder, (tmp_path,)), BASE_URL + "fonts/NotoSansEvil-Regular.ttf")


def test_the_weasyprint_fetcher_records_what_it_refused() -> None:
    fetcher = report_fetcher(ASSETS)
    with pytest.raises(AssetRefused):
        fetcher("file:///etc/passwd")
    response = fetcher(BASE_URL + "report.css")
    assert response.read().startswith(b"/* Print stylesheet")
    assert fetcher.log.refused == ["file:///etc/passwd"] and fetcher.log.served == [BASE_URL + "report.css"]
