"""`make bench-report` keeps working: a quick run on the small test questionnaire."""

from __future__ import annotations

import re

import pytest

from bench import report
from tests.conftest import FIXTURE_CONTENT


def test_the_report_benchmark_prints_its_result_line(capsys: pytest.CaptureFixture[str]) -> None:
    report.main(["--content", str(FIXTURE_CONTENT), "--min-pages", "5", "--rounds", "1", "--repeats", "2"])
    lines = capsys.readouterr().out.strip().splitlines()
    assert "the cached file is the same HTML's: True" in lines[0]
    result = re.fullmatch(
        r"RESULT report_s=([\d.]+) overhead_ratio=([\d.]+) cached_ms=([\d.]+) peak_mb=(\d+)", lines[-1]
    )
    assert result, lines[-1]
    report_s, ratio, cached_ms, _peak = (float(value) for value in result.groups())
    assert report_s > 0 and ratio > 0 and cached_ms < report_s * 1000
