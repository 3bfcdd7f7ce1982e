"""The page loop with the classic bug: a page shorter than MaxResults is taken for the last.

With full pages it is right every time, so a fake that always fills its pages
lets it through; against AWS, whose pages can be short or empty and still
carry a NextToken, it drops nodes.
"""

from __future__ import annotations

from typing import Any

from rollout_summary import PAGE_SIZE


def more_pages(page: dict[str, Any]) -> bool:
    # the bug: a short page is not necessarily the last
    return "NextToken" in page and len(page["CommandInvocations"]) == PAGE_SIZE
