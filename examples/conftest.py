"""Each example is its own small project: put its folder on the import path."""

from __future__ import annotations

import sys
from pathlib import Path

for folder in Path(__file__).parent.iterdir():
    if folder.is_dir() and not folder.name.startswith((".", "_")):
        sys.path.insert(0, str(folder))
