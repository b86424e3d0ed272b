"""The only way a report reaches a file: its own stylesheets, images and an allow-list of fonts.

WeasyPrint asks a URL fetcher for every stylesheet, image, font and ``url()`` a document names.
Ours answers only URLs under ``BASE_URL`` (a reserved ``.invalid`` host that never resolves) whose
path names a stylesheet, image or font of the ``reports/`` folder, or a Noto font installed by
Debian's fonts-noto-core. Everything else (``file:``, ``http:``, ``data:``, other hosts, ``..``,
query strings) is refused without touching the disk or the network, so text a user typed can
never make the renderer read a file or call a server, even if it were not escaped.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BASE_URL = "https://report.ctsat.invalid/"
SYSTEM_FONT_FOLDERS = (Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/opentype/noto"))
MEDIA_TYPES = {
    "css": "text/css",
    "svg": "image/svg+xml",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "ttf": "font/ttf",
    "otf": "font/otf",
    "woff": "font/woff",
    "woff2": "font/woff2",
}
_ASSET_PATH = re.compile(r"(?:[a-z0-9][a-z0-9_-]*/){0,2}[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*\.([a-z0-9]+)")
_SYSTEM_FONT = re.compile(r"Noto(?:Sans|Serif|Naskh|Kufi)[A-Za-z]*-(?:Regular|Bold)\.(?:ttf|otf)")

logger = logging.getLogger(__name__)


class AssetRefused(ValueError):
    """A report asked for something that is not one of its own assets."""


@dataclass(frozen=True)
class ReportAssets:
    """Where a report's templates and assets are (``reports/``), and which font folders may serve fonts."""

    folder: Path
    font_folders: tuple[Path, ...] = SYSTEM_FONT_FOLDERS
    translations: Path | None = None


def _inside(path: Path, root: Path) -> Path | None:
    """``path`` if it is a regular file inside ``root`` once links are resolved."""
    try:
        resolved = path.resolve(strict=True)
        resolved.relative_to(root.resolve(strict=True))
    except (OSError, ValueError):
        return None
    return resolved if resolved.is_file() else None


def resolve_asset(assets: ReportAssets, url: str) -> Path:
    """The file that serves ``url``, or AssetRefused."""
    if not url.startswith(BASE_URL):
        raise AssetRefused(f"not a report asset: {url[:200]}")
    relative = url[len(BASE_URL) :]
    match = _ASSET_PATH.fullmatch(relative)
    if match is None or match.group(1) not in MEDIA_TYPES:
        raise AssetRefused(f"not a report asset: {url[:200]}")
    found = _inside(assets.folder / relative, assets.folder)
    name = relative.removeprefix("fonts/")
    if found is None and relative.startswith("fonts/") and _SYSTEM_FONT.fullmatch(name):
        found = next((path for folder in assets.font_folders if (path := _inside(folder / name, folder))), None)
    if found is None:
        raise AssetRefused(f"no such report asset: {relative}")
    return found


@dataclass
class FetchLog:
    """What a fetcher served and refused (tests and logs read it)."""

    served: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def report_fetcher(assets: ReportAssets, log: FetchLog | None = None) -> Any:
    """A WeasyPrint URL fetcher that serves only ``assets`` (imported lazily: WeasyPrint is slow to load)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    record = log if log is not None else FetchLog()

    class ReportFetcher(URLFetcher):  # type: ignore[misc]
        """Never opens a network connection or a file outside the allow-list."""

        def __init__(self) -> None:
            super().__init__(timeout=1, allowed_protocols=(), allow_redirects=False)
            self.log = record

        def fetch(self, url: str, headers: object = None) -> Any:
            try:
                path = resolve_asset(assets, url)
            except AssetRefused:
                record.refused.append(url)
                logger.warning("report asset refused: %s", url[:200])
                raise
            record.served.append(url)
            media_type = MEDIA_TYPES[path.suffix.lstrip(".").lower()]
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": media_type})

        def open(self, url: object, data: object = None, timeout: object = None) -> Any:
            return self.fetch(str(getattr(url, "full_url", url)))

    return ReportFetcher()
