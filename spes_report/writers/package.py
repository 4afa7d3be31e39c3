"""The workbook class used to build our files: xlsxwriter's, keeping finished parts compressed."""

from __future__ import annotations

import zlib
from io import StringIO
from typing import Any

import xlsxwriter
from xlsxwriter.packager import Packager

# A quick level: these copies only wait for the zip file, which compresses
# the parts again with its own (default) level.
HOLDING_LEVEL = 1


class DeflatedPart:
    """One finished XML part, held compressed until the zip file takes it.

    Stands in for the StringIO xlsxwriter would keep: the zip file asks it
    for its content with ``getvalue()``, as a binary part (UTF-8 bytes).
    """

    def __init__(self, text: str) -> None:
        self._data = zlib.compress(text.encode("utf-8"), HOLDING_LEVEL)

    def getvalue(self) -> bytes:
        return zlib.decompress(self._data)


class CompactPackager(Packager):  # type: ignore[misc]
    """xlsxwriter's packager, in memory, compressing each part once it is written.

    xlsxwriter keeps the text of every part (each sheet's XML, each chart's…)
    until the end, then writes them all into the zip file: with a thousand
    sheets that text weighed more than the cells themselves. A part is
    written completely before the next one is started, so each time a new
    one is asked for, the previous one is finished and can be compressed.
    The zip file receives exactly the same bytes, in the same order.
    """

    def _filename(self, xml_filename: str) -> Any:
        self._compress_last()
        return super()._filename(xml_filename)

    def _create_package(self) -> list[tuple[Any, str, bool]]:
        files: list[tuple[Any, str, bool]] = super()._create_package()
        self._compress_last()
        return files

    def _compress_last(self) -> None:
        if self.filenames and isinstance(self.filenames[-1][0], StringIO):
            part, name, _ = self.filenames[-1]
            self.filenames[-1] = (DeflatedPart(part.getvalue()), name, True)
            # The sheet, chart… that wrote the part still refers to it:
            # closing frees its text.
            part.close()


class CompactWorkbook(xlsxwriter.Workbook):  # type: ignore[misc]
    """A workbook built in memory with CompactPackager (xlsxwriter's hook for it)."""

    def _get_packager(self) -> Packager:
        return CompactPackager()
