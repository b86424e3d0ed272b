"""What the machine lacks that parts of CTSAT need (``ctsat doctor``)."""

from __future__ import annotations

import ctypes.util
import shutil
from pathlib import Path

NOTO_FOLDERS = (Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/opentype/noto"))


def missing_parts() -> list[str]:
    notes = []
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        notes.append("Chromium is not installed: browser tests will be skipped (make system-packages installs it).")
    if ctypes.util.find_library("harfbuzz-subset") is None:
        notes.append("libharfbuzz-subset0 is missing: PDF reports will be written far more slowly.")
    if not any((folder / "NotoSansThai-Regular.ttf").exists() for folder in NOTO_FOLDERS):
        notes.append("Noto fonts (fonts-noto-core, fonts-noto-cjk) are missing: non-Latin scripts may print as boxes.")
    return notes
