"""Text in cells: which needs a quote prefix to stay text, and how many lines it wraps to."""

from __future__ import annotations

import pytest

from spes_report.writers.text import needs_quote_prefix, wrapped_lines


@pytest.mark.parametrize("text", ["=1+1", "+33", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_risky_text_needs_quote_prefix(text: str) -> None:
    assert needs_quote_prefix(text)


def test_plain_text_needs_no_quote_prefix() -> None:
    assert not needs_quote_prefix("Retard — reprise en septembre")


def test_wrapped_lines_grows_with_text() -> None:
    assert wrapped_lines("", 40) == 1
    assert wrapped_lines("court", 40) == 1
    assert wrapped_lines("mot " * 40, 40) >= 4
    assert wrapped_lines("a\nb\nc", 40) == 3
    assert wrapped_lines("x" * 200, 40) >= 5
