"""DescribeInstanceInformation: the region's managed nodes, in the order they were declared.

Its pages follow the paging modes like the other list operations: AWS
paginates it with NextToken (MaxResults 5..50, 10 by default) and code that
lists a fleet must follow the tokens as it does for invocations, so ``chaos``
gives it irregular and empty pages too; ``exact`` and ``aws`` fill its pages
(unverified: no report shows AWS answering this one short, unlike
ListCommandInvocations). A page plan wins, as everywhere. Each node's key is its
place in the fleet, which only grows, so a NextToken holds across added nodes.
"""

from __future__ import annotations

from typing import Any

from ..records import Record
from ..store.fleet import Listed
from . import listing
from .faults import Call
from .node_filters import check_named_nodes, parse_node_filters
from .state import ServiceState

OPERATION = "DescribeInstanceInformation"


def answer(service: ServiceState, params: dict[str, Any], region: str, call: Call) -> Record:
    tests = parse_node_filters(params)
    query = listing.open_query(service, OPERATION, params, region, call)
    listed = service.store.fleet.listed(region)
    check_named_nodes(params, {item.node.instance_id for item in listed})

    def more(item: Listed) -> bool:
        return all(test(item.node) for test in tests)

    def keep(item: Listed) -> Record | None:
        return item.node.information() if more(item) else None

    return listing.serve(
        service, query, params, call, "InstanceInformationList", listed, keep, more
    )
