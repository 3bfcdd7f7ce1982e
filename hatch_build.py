"""Build hook of the sdist: leave git's ignore file out.

hatchling always copies the project's ``.gitignore`` into the sdist (it reads
it to decide what to include); an sdist is not a git checkout, so the hook
drops it again after hatchling has used it.
"""

from __future__ import annotations

from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class DropVcsFiles(BuildHookInterface):
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        force_include = build_data["force_include"]
        for source, target in list(force_include.items()):
            if target == ".gitignore":
                del force_include[source]
