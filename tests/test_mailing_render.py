"""The email templates filled (the packaged ones, or a user's), and the HTML body as a reader
sees it: rendered by headless Chromium, checked pixel by pixel."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from support.mail import bodies, emailed_sample, parse, rendered_sample
from support.workbooks import sample_report

from spes_report.french import NBSP
from spes_report.mailing.render import check_templates, render_email
from spes_report.mailing.sample import sample_reports
from spes_report.mailing.wording import email_context, summary_sentence
from spes_report.model import Status
from spes_report.plan import load_plan
from spes_report.problems import InputError
from spes_report.writers.styles import HEADER_FILL, STATUS_COLOURS

# --- the templates filled ---------------------------------------------------------------

def test_packaged_templates_render_french_text() -> None:
    rendered = rendered_sample()
    assert rendered.subject == (
        "[SPES] Comité de pilotage du 1er juin 2020 : tableau de bord des missions")
    assert "\n" not in rendered.subject
    summary = summary_sentence(sample_report()[0])
    assert summary in rendered.text
    assert f"Taux moyen de réalisation : 72,7{NBSP}%." in rendered.text  # 0.72714…
    assert "- Mission 5 — Non renseigné : aucun taux saisi" in rendered.text
    assert "{{" not in rendered.text + rendered.html and "{#" not in rendered.html


def test_html_escapes_text_from_the_input_and_the_text_body_does_not() -> None:
    rendered = rendered_sample()
    # Mission 2's "point d'attention" is a link, mission 3's comment holds "&".
    assert "https://example.org/piege" in rendered.html
    assert "<a " not in rendered.html
    hostile = "Tabulation en tête"
    assert hostile in rendered.text and hostile in rendered.html


def test_html_markup_in_data_stays_text(tmp_path: Path) -> None:
    report, _ = sample_report()
    context = email_context(report, "<b>[SPES]</b> & co", "x.xlsx")
    context["missions"][0]["titre"] = "<script>alert(1)</script>"
    rendered = render_email(context, None)
    assert "<script>" not in rendered.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered.html
    assert "&lt;b&gt;[SPES]&lt;/b&gt; &amp; co" in rendered.html
    assert "<script>alert(1)</script>" in rendered.text
    assert rendered.subject.startswith("<b>[SPES]</b> & co ")


def test_status_cells_carry_the_workbook_colours() -> None:
    html = rendered_sample().html
    assert "background-color:#FFC7CE;color:#9C0006" in html  # Alerte
    assert "background-color:#C6EFCE;color:#006100" in html  # Conforme
    assert "background-color:#1F4E79" in html  # the workbook's header fill
    assert "<style" not in html and "class=" not in html  # inline styles only


def test_a_file_in_templates_overrides_the_packaged_one(tmp_path: Path) -> None:
    (tmp_path / "objet.txt").write_text("Tableau de bord du {{ date_comite }}\n\n",
                                        encoding="utf-8")
    rendered = rendered_sample(tmp_path)
    assert rendered.subject == "Tableau de bord du 1er juin 2020"
    assert "Bonjour" in rendered.text  # the other two still come from the package


def test_undefined_variable_in_a_template_is_reported_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "message.txt").write_text("Bonjour,\n\n{{ date_du_comite }}\n",
                                          encoding="utf-8")
    with pytest.raises(InputError) as caught:
        rendered_sample(tmp_path)
    (problem,) = caught.value.problems
    assert (problem.code, problem.place, problem.value) == (
        "template-undefined", f"{tmp_path / 'message.txt'}, ligne 3", "date_du_comite")


def test_template_syntax_error_is_reported_before_anything_is_built(tmp_path: Path) -> None:
    (tmp_path / "message.html").write_text("<p>\n{% if resume %}\n{{ resume }</p>\n",
                                           encoding="utf-8")
    with pytest.raises(InputError) as caught:
        check_templates(tmp_path)
    (problem,) = caught.value.problems
    assert problem.code == "template-syntax"
    assert problem.place == f"{tmp_path / 'message.html'}, ligne 3"


@pytest.mark.parametrize(
    ("line", "what"),
    [('{{ nombre_missions + "a" }}', "il combine des valeurs de types incompatibles"),
     ("{{ nombre_missions / 0 }}", "il divise par zéro"),
     ("{{ service.index('y') }}", "il transforme une valeur qui ne s'y prête pas"),
     ("{{ missions[0].numero.real.imag.bit_length(1) }}", "il combine des valeurs")],
)
def test_any_error_while_filling_a_template_is_a_problem(tmp_path: Path, line: str,
                                                         what: str) -> None:
    (tmp_path / "message.txt").write_text(f"Bonjour,\n\n{line}\n", encoding="utf-8")
    for attempt in (rendered_sample, check_templates):
        with pytest.raises(InputError) as caught:
            attempt(tmp_path)
        (problem,) = caught.value.problems
        assert (problem.code, problem.place, problem.value) == (
            "template-error", f"{tmp_path / 'message.txt'}, ligne 3", line)
        assert problem.message.startswith(f"ce modèle ne peut pas être rempli : {what}")


def test_check_fills_the_templates_with_every_kind_of_mission(tmp_path: Path) -> None:
    """Errors in branches that only some months take are caught before the build."""
    statuses = {m.status for report in sample_reports(load_plan(), "0.1.0")
                for m in report.missions}
    assert statuses == {Status.CONFORME, Status.VIGILANCE, Status.ALERTE,
                        Status.NON_RENSEIGNE, Status.SANS_CIBLE}
    branches = {
        "alert": "{% for m in missions %}{% if m.statut == 'Alerte' %}{{ m.ecartt }}"
                 "{% endif %}{% endfor %}",
        "attention": "{% for m in points_attention %}{{ m.point_attention + 1 }}{% endfor %}",
        "no figure": "{% for m in missions %}{% if not m.a_un_taux %}{{ m.realise + 1 }}"
                     "{% endif %}{% endfor %}",
        "no target": "{% for m in missions %}{% if not m.a_une_cible %}{{ 1 / 0 }}"
                     "{% endif %}{% endfor %}",
    }
    for branch, text in branches.items():
        (tmp_path / "message.txt").write_text(text, encoding="utf-8")
        with pytest.raises(InputError) as caught:
            check_templates(tmp_path)
        assert [p.place for p in caught.value.problems] == [
            f"{tmp_path / 'message.txt'}, ligne 1"], branch
    (tmp_path / "message.txt").unlink()
    check_templates(tmp_path)  # the packaged ones fill every sample


def test_an_empty_subject_is_refused(tmp_path: Path) -> None:
    (tmp_path / "objet.txt").write_text("{# rien #}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        rendered_sample(tmp_path)
    assert caught.value.problems[0].code == "template-empty-subject"
    with pytest.raises(InputError) as early:
        check_templates(tmp_path)
    assert [p.code for p in early.value.problems] == ["template-empty-subject"]


# --- the HTML body in a browser -------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

needs_chromium = pytest.mark.skipif(
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
    outputs = emailed_sample(tmp_path_factory.mktemp("service"))
    message = parse((outputs / "SPES_COPIL_2020-06-01.eml").read_bytes())
    return bodies(message)[1]


@needs_chromium
def test_status_colours_and_header_show_in_the_rendered_email(html: str,
                                                               tmp_path: Path) -> None:
    image = screenshot(html, tmp_path, 900)
    assert image.size == (900, 1200)
    # The sample has 5 Conforme, 2 Vigilance and 1 Alerte missions, and 7 En bonne voie
    # and 1 Hors trajectoire, which take the colours of Conforme and Alerte.
    conforme, vigilance, alerte = (pixels_of(image, STATUS_COLOURS[s][0]) for s in
                                   (Status.CONFORME, Status.VIGILANCE, Status.ALERTE))
    assert alerte > 1500
    assert 0.7 * alerte < vigilance < 1.4 * alerte and conforme > 4 * alerte
    assert pixels_of(image, HEADER_FILL) > 5000
    # Compact: the message keeps to about 640 pixels, as a reading pane shows it.
    inked = [x for x in range(image.width)
             if any(image.getpixel((x, y)) != (255, 255, 255) for y in range(0, 1200, 4))]
    assert max(inked) < 700


@needs_chromium
def test_the_table_still_fits_a_narrow_reading_pane(html: str, tmp_path: Path) -> None:
    # 420 pixels: a phone, or Outlook's reading pane beside the folder list.
    image = screenshot(html, tmp_path, 420, 1600)
    # The Trajectoire column, the last one, is still on screen with its colours.
    alert_fill = rgb(STATUS_COLOURS[Status.ALERTE][0])
    columns = [x for x in range(image.width) for y in range(0, image.height, 6)
               if image.getpixel((x, y)) == alert_fill]
    assert columns and max(columns) < 415
