"""How full the pages of a list query are: the paging modes ``exact``, ``aws`` and ``chaos``.

Real ListCommandInvocations returns short pages, and empty pages that still
carry a NextToken, especially with Filters: boto3 issue 2643 (empty lists plus
a token for ~15 s), boto3 issue 3791 (34 of 45 items on page 1 with
MaxResults 50, plus a token). Code that stops when a page is shorter than
MaxResults, or empty, works against a fake that always fills its pages and
loses items against AWS.

- ``exact``: every page holds MaxResults items while items are left.
- ``aws`` (the default): account-wide filtered queries, ListCommandInvocations
  with ``Filters`` and no ``CommandId`` (the shape of boto3 issue 2643), get
  seeded short pages (half to all of MaxResults), now and then an empty page
  carrying a NextToken, and now and then a last page with a NextToken followed
  by an empty final one; every other query gets full pages. unverified: AWS
  documents none of this; a CommandId query reads one command's invocations
  and is taken to come in full pages, filtered or not, and the proportions are
  chosen to show the shapes the issues report.
- ``chaos``: every query of ListCommandInvocations, ListCommands and
  DescribeInstanceInformation gets seeded irregular pages (1 to MaxResults items,
  empty pages carrying a NextToken more often, the trailing empty page too).
  DescribeInstanceInformation follows the modes as the others do: AWS pages it
  with NextToken too, and a loop over the fleet that stops on a short page is
  the same bug (see ``describe_instance_information``). Queries that match one
  item at most, ListCommands by CommandId and ListCommandInvocations by
  CommandId and InstanceId, come whole: chaos is adversarial where AWS could
  be, and invents nothing AWS does not do (unverified: no capture shows AWS
  answering such a query with an empty page and a NextToken; a poller of one
  command or one node reads its first page, as every real one tried does).

A page's size is a function of the seed, the mode, the query (as the
NextToken binds it, less its time filters' instants, which tests compute from
the real clock: ``listing.Query.shape``), MaxResults and the page number the
token carries, never of how many calls came before: a page asked for again is the same page, and
no item is lost or repeated (the token holds the position, see ``tokens``).
An explicit page plan (``FakeSSM.page_plan``) always wins over the mode.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..catalogue import model

PAGING_MODES = ("exact", "aws", "chaos")
DEFAULT_PAGING = "aws"


@dataclass(frozen=True)
class Odds:
    """What a mode does to the pages of a query it shapes."""

    empty: float
    """Chance that a page is empty (and carries a NextToken, since items are left)."""
    trailing: float
    """Chance that the page holding the last items still carries a NextToken."""
    low: float
    """The smallest share of MaxResults a non-empty page holds."""


_ODDS = {
    "aws": Odds(empty=0.15, trailing=0.25, low=0.5),
    "chaos": Odds(empty=0.3, trailing=0.5, low=0.0),
}


def check_paging(mode: object) -> str:
    """``mode`` if it is a paging mode, else ``ValueError`` naming the valid ones."""
    if mode not in PAGING_MODES:
        raise ValueError(f"unknown paging mode {mode!r}; valid: {', '.join(PAGING_MODES)}")
    return str(mode)


@dataclass(frozen=True)
class PagingPolicy:
    mode: str = DEFAULT_PAGING
    seed: int = 0

    def __post_init__(self) -> None:
        check_paging(self.mode)

    def shapes(self, operation: str, params: Mapping[str, Any]) -> bool:
        """Whether this mode shapes the pages of this query."""
        if self.mode == "aws":
            account_wide = "CommandId" not in params and bool(params.get("Filters"))
            return operation == "ListCommandInvocations" and account_wide
        return self.mode == "chaos" and not _one_item_at_most(operation, params)

    def page_size(
        self, operation: str, params: Mapping[str, Any], query: bytes, page: int
    ) -> tuple[int, bool]:
        """The size of page ``page`` of a query, and whether a page that holds the last
        items still carries a NextToken (an empty final page follows)."""
        max_results: int = params.get("MaxResults") or model.default_page_size(operation)
        if not self.shapes(operation, params):
            return max_results, False
        odds = _ODDS[self.mode]
        draw = self._draws(query, page, max_results)
        trailing = draw[2] < odds.trailing
        if draw[0] < odds.empty:
            return 0, trailing
        low = max(1, round(odds.low * max_results))
        return low + int(draw[1] * (max_results - low + 1)), trailing

    def _draws(self, query: bytes, page: int, max_results: int) -> tuple[float, float, float]:
        """Three numbers in [0, 1) that only the seed, the query and the page decide."""
        text = f"{self.seed}:{self.mode}:{query.hex()}:{max_results}:{page}".encode()
        digest = hashlib.blake2b(text, digest_size=24).digest()
        scale = float(2**64)
        return (
            int.from_bytes(digest[0:8], "big") / scale,
            int.from_bytes(digest[8:16], "big") / scale,
            int.from_bytes(digest[16:24], "big") / scale,
        )


def _one_item_at_most(operation: str, params: Mapping[str, Any]) -> bool:
    """Whether the query names one command (ListCommands) or one node's invocation of
    one command (ListCommandInvocations): what AWS answers in a single page."""
    if operation == "ListCommands":
        return "CommandId" in params
    if operation == "ListCommandInvocations":
        return "CommandId" in params and "InstanceId" in params
    return False
