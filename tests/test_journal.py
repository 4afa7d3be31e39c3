"""journal.py: a change of outputs/ made all or nothing, finished after an interruption."""

from __future__ import annotations

from pathlib import Path

import pytest

from spes_report import durable, journal
from spes_report.files import prepared_path
from spes_report.journal import JOURNAL_NAME, Change, Move


def replacement(root: Path) -> Change:
    """The shape of a build --replace: the month into the staging folder, which takes its
    place; the workbook aside, the new one in its place."""
    (root / "archive" / "2020-06").mkdir(parents=True)
    (root / "archive" / "2020-06" / "manifest.json").write_text("old", encoding="utf-8")
    staging = root / "archive" / ".2020-06.en-cours-aa"
    staging.mkdir()
    (staging / "manifest.json").write_text("new", encoding="utf-8")
    (root / "book.xlsx").write_text("old book", encoding="utf-8")
    prepared_path(root / "book.xlsx", "aa").write_text("new book", encoding="utf-8")
    return Change((
        Move("archive/2020-06", "archive/.2020-06.en-cours-aa/superseded-1"),
        Move("archive/.2020-06.en-cours-aa", "archive/2020-06"),
        Move("book.xlsx", "book.remplace-1.xlsx"),
        Move(".book.xlsx.en-cours-aa", "book.xlsx"),
    ), about={"workbook": "book.xlsx", "month": "2020-06"})


def final_state(root: Path) -> None:
    month = root / "archive" / "2020-06"
    assert (month / "manifest.json").read_text(encoding="utf-8") == "new"
    assert (month / "superseded-1" / "manifest.json").read_text(encoding="utf-8") == "old"
    assert (root / "book.xlsx").read_text(encoding="utf-8") == "new book"
    assert (root / "book.remplace-1.xlsx").read_text(encoding="utf-8") == "old book"
    assert not (root / JOURNAL_NAME).exists()
    assert journal.leftovers([root, root / "archive"]) == []


def test_apply_makes_every_rename_and_leaves_no_journal(tmp_path: Path) -> None:
    journal.apply(tmp_path, replacement(tmp_path))
    final_state(tmp_path)


@pytest.mark.parametrize("made", range(5))
def test_finish_carries_out_what_an_interruption_left(tmp_path: Path, made: int) -> None:
    """Killed after ``made`` renames, journal written: the next command finishes them,
    even where a later rename reused an earlier one's source name."""
    change = replacement(tmp_path)
    journal._write_journal(tmp_path, change)
    for move in change.moves[:made]:
        (tmp_path / move.source).rename(tmp_path / move.target)
    finished = journal.finish(tmp_path)
    assert finished.finished == {"workbook": "book.xlsx", "month": "2020-06"}
    assert finished.unfinished == ()
    final_state(tmp_path)


def test_a_failed_rename_is_undone_and_the_prepared_files_removed(tmp_path: Path) -> None:
    change = replacement(tmp_path)

    refused: list[Path] = []

    def refuse_the_book(kind: str, path: Path) -> None:
        # Once: the undoing then puts the earlier workbook back under this name.
        if kind == durable.RENAME and path.name == "book.xlsx" and not refused:
            refused.append(path)
            raise OSError(5, "Input/output error")

    with durable.hooked(refuse_the_book), pytest.raises(OSError):
        journal.apply(tmp_path, change)
    assert (tmp_path / "archive" / "2020-06" / "manifest.json").read_text(
        encoding="utf-8") == "old"
    assert (tmp_path / "book.xlsx").read_text(encoding="utf-8") == "old book"
    assert not (tmp_path / "book.remplace-1.xlsx").exists()
    assert journal.leftovers([tmp_path, tmp_path / "archive"]) == []
    assert not (tmp_path / JOURNAL_NAME).exists()


def test_a_rename_that_cannot_be_finished_keeps_the_journal(tmp_path: Path) -> None:
    (tmp_path / ".a.en-cours-aa").write_text("a", encoding="utf-8")
    (tmp_path / ".b.en-cours-aa").write_text("b", encoding="utf-8")
    change = Change((Move(".a.en-cours-aa", "gone/a"), Move(".b.en-cours-aa", "b")))
    journal._write_journal(tmp_path, change)
    finished = journal.finish(tmp_path)
    # It stops at the first rename it cannot make: the next ones assume it was made.
    assert finished.unfinished == change.moves
    assert (tmp_path / JOURNAL_NAME).exists() and not (tmp_path / "b").exists()


def test_the_sweep_removes_only_what_commands_prepare(tmp_path: Path) -> None:
    names = [".book.xlsx.en-cours-0a1b2c3d", ".book.xlsx.k3j4_x9a.tmp", ".2020-06.en-cours-ff"]
    kept = [".spes-report.lock", ".gitkeep", "book.xlsx", "notes.tmp", ".hidden.tmp"]
    for name in names[:2] + kept:
        (tmp_path / name).write_bytes(b"")
    (tmp_path / names[2]).mkdir()
    assert sorted(journal.sweep(tmp_path, [tmp_path])) == sorted(names)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(kept)


def test_a_pending_journal_is_never_overwritten_nor_removed(tmp_path: Path) -> None:
    (tmp_path / JOURNAL_NAME).write_text("earlier", encoding="utf-8")
    change = replacement(tmp_path)
    with pytest.raises(journal.JournalError):
        journal.apply(tmp_path, change)
    assert (tmp_path / JOURNAL_NAME).read_text(encoding="utf-8") == "earlier"
    assert (tmp_path / "book.xlsx").read_text(encoding="utf-8") == "old book"


@pytest.mark.parametrize("fails_at", [1, 2, 3])
def test_replacing_a_file_can_be_undone(tmp_path: Path, fails_at: int) -> None:
    """A file replaced by a change first steps aside: if a later rename fails, the old
    content comes back; once the change is made, the old one is dropped."""
    (tmp_path / "a.pdf").write_text("ancien", encoding="utf-8")
    prepared_path(tmp_path / "a.pdf", "bb").write_text("nouveau", encoding="utf-8")
    (tmp_path / "b").mkdir()
    prepared_path(tmp_path / "b" / "c.txt", "bb").write_text("c", encoding="utf-8")
    moves, discard = journal.replacing(tmp_path, "a.pdf", ".a.pdf.en-cours-bb")
    assert len(moves) == 2 and moves[0].source == "a.pdf" and discard == (moves[0].target,)
    change = Change((*moves, Move("b/.c.txt.en-cours-bb", "b/c.txt")), discard)
    renames = 0

    def fail(kind: str, path: Path) -> None:
        nonlocal renames
        if kind == durable.RENAME:
            renames += 1
            if renames == fails_at:
                raise OSError(5, "refus", str(path))

    with durable.hooked(fail), pytest.raises(OSError):
        journal.apply(tmp_path, change)
    assert (tmp_path / "a.pdf").read_text(encoding="utf-8") == "ancien"
    assert not (tmp_path / "b" / "c.txt").exists()
    assert journal.leftovers([tmp_path, tmp_path / "b"]) == []
    assert not (tmp_path / JOURNAL_NAME).exists()


def test_replacing_makes_the_change_and_drops_the_old_file(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_text("ancien", encoding="utf-8")
    prepared_path(tmp_path / "a.pdf", "bb").write_text("nouveau", encoding="utf-8")
    journal.apply(tmp_path, Change(*journal.replacing(tmp_path, "a.pdf", ".a.pdf.en-cours-bb")))
    assert (tmp_path / "a.pdf").read_text(encoding="utf-8") == "nouveau"
    assert journal.leftovers([tmp_path]) == []
    # Nothing there yet: a plain rename.
    assert journal.replacing(tmp_path, "b.pdf", ".b.pdf.en-cours-cc") == (
        (Move(".b.pdf.en-cours-cc", "b.pdf"),), ())
