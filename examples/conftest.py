"""Each example is its own small project: put its folder on the import path."""

from __future__ import annotations

import sys
from pathlib import Path

from hypothesis import settings

# No test here is timed: Hypothesis's per-example deadline would be one, and on a
# shared, loaded machine the first example (which fills the record pools) can take
# longer than 200 ms. Performance is measured by the scripts in benchmarks/.
settings.register_profile("no-deadline", deadline=None)
settings.load_profile("no-deadline")

for folder in Path(__file__).parent.iterdir():
    if folder.is_dir() and not folder.name.startswith((".", "_")):
        sys.path.insert(0, str(folder))
