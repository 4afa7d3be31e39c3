"""Another process that holds one of our locks, for tests of waiting and giving up."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

HOLDER = """
import importlib, sys, time
from pathlib import Path
module, function = sys.argv[1].split(":")
lock = getattr(importlib.import_module(module), function)
with lock(Path(sys.argv[2])):
    print("held", flush=True)
    time.sleep(float(sys.argv[3]))
"""


@contextlib.contextmanager
def holding(lock: str, path: Path, seconds: float) -> Iterator[subprocess.Popen[str]]:
    """A process that takes ``lock`` (``module:function``) on ``path`` for ``seconds``."""
    with subprocess.Popen([sys.executable, "-c", HOLDER, lock, str(path), str(seconds)],
                          stdout=subprocess.PIPE, text=True) as holder:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        try:
            yield holder
        finally:
            holder.kill()
