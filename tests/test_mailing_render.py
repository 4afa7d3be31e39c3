"""The HTML body as a reader sees it: rendered by headless Chromium, checked pixel by pixel."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from support import run
from support.mail import bodies, parse, workspace

from spes_report.model import Status
from spes_report.writers.styles import HEADER_FILL, STATUS_COLOURS

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium est absent : installez le paquet Debian « chromium » (.ci/run le fait)",
)


def screenshot(html: str, folder: Path, width: int, height: int = 1200) -> Image.Image:
    page = folder / f"message-{width}.html"
    page.write_text(html, encoding="utf-8")
    png = folder / f"message-{width}.png"
    assert CHROMIUM is not None
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={folder / f'profil-{width}'}",
         f"--screenshot={png}", f"--window-size={width},{height}", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    return Image.open(png).convert("RGB")


def rgb(colour: str) -> tuple[int, int, int]:
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))


def pixels_of(image: Image.Image, colour: str) -> int:
    wanted = rgb(colour)
    return sum(count for count, value in image.getcolors(image.width * image.height) or []
               if value == wanted)


@pytest.fixture(scope="module")
def html(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = workspace(tmp_path_factory.mktemp("service"))
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        result = run("email")
    assert result.exit_code == 0, result.output
    message = parse((folder / "outputs" / "SPES_COPIL_2020-06-01.eml").read_bytes())
    return bodies(message)[1]


def test_status_colours_and_header_show_in_the_rendered_email(html: str,
                                                               tmp_path: Path) -> None:
    image = screenshot(html, tmp_path, 900)
    assert image.size == (900, 1200)
    # The sample has 5 Conforme, 2 Vigilance and 1 Alerte missions.
    conforme, vigilance, alerte = (pixels_of(image, STATUS_COLOURS[s][0]) for s in
                                   (Status.CONFORME, Status.VIGILANCE, Status.ALERTE))
    assert alerte > 1000
    assert vigilance > 1.5 * alerte and conforme > 3 * alerte
    assert pixels_of(image, HEADER_FILL) > 5000
    # Compact: the message keeps to about 640 pixels, as a reading pane shows it.
    inked = [x for x in range(image.width)
             if any(image.getpixel((x, y)) != (255, 255, 255) for y in range(0, 1200, 4))]
    assert max(inked) < 700


def test_the_table_still_fits_a_narrow_reading_pane(html: str, tmp_path: Path) -> None:
    # 420 pixels: a phone, or Outlook's reading pane beside the folder list.
    image = screenshot(html, tmp_path, 420, 1600)
    # The Statut column, the last one, is still on screen with its colours.
    alert_fill = rgb(STATUS_COLOURS[Status.ALERTE][0])
    columns = [x for x in range(image.width) for y in range(0, image.height, 6)
               if image.getpixel((x, y)) == alert_fill]
    assert columns and max(columns) < 415
