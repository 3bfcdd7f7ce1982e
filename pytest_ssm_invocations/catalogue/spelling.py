"""The one way a mistaken name is answered: the closest valid one, suggested.

``add_command(status=...)``, ``fail("ThrotlingException")``, ``"success"`` for a
status: every refusal of a name names the one the author most likely meant.
"""

from __future__ import annotations

import difflib
import functools
import inspect
from collections.abc import Callable, Iterable
from typing import Any, TypeVar, cast


def did_you_mean(value: object, valid: Iterable[str]) -> str:
    """``" (did you mean 'statuses'?)"`` for the valid name closest to ``value``; "" if none."""
    if not isinstance(value, str):
        return ""
    choices = list(valid)
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    if not close:
        folded = {c.casefold(): c for c in choices}
        found = folded.get(value.casefold())
        close = [found] if found else []
    return f" (did you mean {close[0]!r}?)" if close else ""


F = TypeVar("F", bound=Callable[..., Any])


def checked_keywords(public: str, *, also: Iterable[str] = ()) -> Callable[[F], F]:
    """Refuse an unknown keyword as ``public`` (the name a test calls) with the one meant.

    Python's own message names the function's qualified name
    (``SendSide.on_send()``) and suggests nothing; a function whose keywords
    end in ``**options`` (output settings) would take a misspelling as an
    option. ``also`` adds the names those ``**options`` accept.
    """

    def decorate(function: F) -> F:
        parameters = inspect.signature(function).parameters.values()
        named = [
            p.name
            for p in parameters
            if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and p.name != "self"
        ]
        valid = (*named, *also)
        accepted = frozenset(valid)

        @functools.wraps(function)
        def checked(*args: Any, **keywords: Any) -> Any:
            if not accepted.issuperset(keywords):
                unknown = next(k for k in keywords if k not in accepted)
                raise TypeError(
                    f"{public}() got an unexpected keyword argument {unknown!r}"
                    f"{did_you_mean(unknown, valid)}; it takes {', '.join(valid)}"
                )
            return function(*args, **keywords)

        return cast(F, checked)

    return decorate
