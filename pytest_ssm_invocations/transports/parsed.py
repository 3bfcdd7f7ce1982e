"""What botocore's JSON parser would make of the fake's answer, built straight from it.

Walking the model over a page's bytes, and converting each of its 150
timestamps to the local time zone, cost botocore two thirds of a page's time:
what made a suite on the fixture three times slower than one on the Stubber
(which answers with the test's own dicts). While a fake is active,
:func:`patch_json_parser` gives ``JSONParser`` a ``_handle_json_body`` that,
for a body the in-process hook served (it carries the answer it encodes),
builds the result from the answer: the model's members in the model's order,
``None`` members left out, lists and maps copied, every timestamp through the
parser's own timestamp parser. Each structure gets a function written for its
members (:func:`_structure`). Everything else is botocore's own: signing,
retries, ``ResponseMetadata``, errors, and any body another server sent. The
tests hold the result equal to botocore's parse of the same bytes, member
order and time zones included.

Timestamps: with botocore's default parser (the local time zone, as dateutil's
``tzlocal``) in a zone without daylight saving time, the local time is the UTC
time plus a fixed offset, which :func:`_fixed_offset_reader` adds in C after
checking on sample values that it gives what botocore gives. Elsewhere, and
with any other parser (the AWS CLI keeps timestamps as text), each value goes
through the parser.

Each structure's function is written as source once (:func:`_structure`):
``benchmarks/bench_parsed.py`` measures the same converter as closures
looping over the members at a third slower on a page.

The environment variable ``SSM_INVOCATIONS_PARSER=botocore`` turns the
shortcut off (botocore then walks the fake's bytes as it walks any server's),
to rule it out when something looks wrong; CI runs the suite both ways.
"""

from __future__ import annotations

import functools
import os
import time
import weakref
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

from ..wire import epoch_seconds

Convert = Callable[[Any, Callable[[datetime], Any]], Any]

#: The environment variable choosing who parses in-process answers, and its values.
PARSER_VARIABLE = "SSM_INVOCATIONS_PARSER"
PARSERS = ("shortcut", "botocore")


class Unsupported(Exception):
    """The output shape holds a type this module does not build (blob, document, union)."""


def patch_json_parser(replace: Callable[[Any, str, Any], object]) -> None:
    """Give botocore's ``JSONParser`` (aiobotocore's inherits it) the shortcut, via ``replace``.

    ``replace(owner, name, value)`` sets the attribute so that it is put back
    when the last fake is left. Nothing is patched with ``SSM_INVOCATIONS_PARSER=botocore``.
    """
    if not shortcut_enabled():
        return
    from botocore.parsers import JSONParser

    walk = JSONParser._handle_json_body

    def _handle_json_body(self: Any, raw_body: Any, shape: Any) -> Any:
        answer = getattr(raw_body, "answer", None)
        if answer is not None and shape is not None:
            convert = _converter(shape)
            if convert is not None:
                return convert(answer, timestamp_reader(self._timestamp_parser))
        return walk(self, raw_body, shape)

    replace(JSONParser, "_handle_json_body", _handle_json_body)


def shortcut_enabled() -> bool:
    """Whether the shortcut is on (``SSM_INVOCATIONS_PARSER``: ``shortcut``, the default, or
    ``botocore``); any other value is a ``ValueError`` naming the valid ones."""
    chosen = os.environ.get(PARSER_VARIABLE, "shortcut").strip() or "shortcut"
    if chosen not in PARSERS:
        raise ValueError(f"{PARSER_VARIABLE}={chosen!r}; valid: {', '.join(PARSERS)}")
    return chosen == "shortcut"


# -- converters, one per output shape, compiled once ------------------------------

#: Per output shape (each client's model has its own): its converter, or None if unsupported.
_compiled: weakref.WeakKeyDictionary[Any, Convert | None] = weakref.WeakKeyDictionary()
#: The same by the shape's dict in the loaded service model, which the clients of every
#: session sharing botocore's loaded models share (the fixture's sessions do): a client
#: created in each test compiles nothing. The dict is kept, so that its id stays its own.
_by_model: dict[int, tuple[Any, Convert | None]] = {}


def _converter(shape: Any) -> Convert | None:
    """The converter of an output shape, or None if it holds a type not built here."""
    try:
        return _compiled[shape]
    except KeyError:
        pass
    model = getattr(shape, "_shape_model", None)
    known = _by_model.get(id(model))
    if known is not None and known[0] is model:
        convert = known[1]
    else:
        try:
            convert = _compile(shape) or _same
        except Unsupported:
            convert = None
        if model is not None:
            _by_model[id(model)] = (model, convert)
    _compiled[shape] = convert
    return convert


def _same(value: Any, _timestamp: Callable[[datetime], Any]) -> Any:
    return value


def _compile(shape: Any) -> Convert | None:
    """The converter of ``shape``; None where the JSON value is the parsed value."""
    kind = shape.type_name
    if kind == "structure":
        if getattr(shape, "is_document_type", False) or getattr(shape, "is_tagged_union", False):
            raise Unsupported(shape.name)
        return _structure(shape)
    if kind == "list":
        return _list(_compile(shape.member))
    if kind == "map":
        return _map(_compile(shape.value))
    if kind == "timestamp":
        return _timestamp
    if kind == "blob":
        raise Unsupported(shape.name)
    return None  # string, integer, long, boolean, float, double: as loaded from JSON


def _structure(shape: Any) -> Convert:
    """A function written for ``shape``: one lookup and one test per member, in order.

    What a loop over the members would do, without its per-member overhead: a
    page holds a few hundred structures, and walking them was a fifth of a
    test's time. Member names are the model's (identifiers), written as literals.
    """
    lines = ["def convert(value, timestamp):", "    get = value.get", "    parsed = {}"]
    inners: dict[str, Convert] = {}
    for index, (name, member) in enumerate(shape.members.items()):
        key, inner = member.serialization.get("name", name), _compile(member)
        if inner is None:
            converted = "item"
        elif inner is _timestamp:
            converted = "timestamp(item)"
        else:
            inners[f"inner_{index}"] = inner
            converted = f"inner_{index}(item, timestamp)"
        lines += [
            f"    item = get({key!r})",
            f"    if item is not None: parsed[{name!r}] = {converted}",
        ]
    lines.append("    return parsed")
    namespace: dict[str, Any] = dict(inners)
    exec("\n".join(lines), namespace)  # the source: built above from the model's names
    convert: Convert = namespace["convert"]
    return convert


def _list(inner: Convert | None) -> Convert:
    if inner is None:
        return lambda value, _timestamp: list(value)
    return lambda value, timestamp: [
        None if item is None else inner(item, timestamp) for item in value
    ]


def _map(inner: Convert | None) -> Convert:
    if inner is None:
        return lambda value, _timestamp: dict(value)
    return lambda value, timestamp: {key: inner(item, timestamp) for key, item in value.items()}


def _timestamp(value: Any, timestamp: Callable[[datetime], Any]) -> Any:
    return timestamp(value)


# -- timestamps ----------------------------------------------------------------------


def timestamp_reader(parser: Callable[[float], Any]) -> Callable[[datetime], Any]:
    """What ``parser`` gives for the epoch float the wire would carry for a datetime.

    Values repeat within a response (every invocation of a command shares its
    RequestedDateTime), so each distinct one is parsed once; with botocore's
    default parser in a zone of fixed offset, across responses too (see
    :func:`_fixed_offset_reader`).
    """
    if parser is _default_parser():
        fixed = _fixed_offset_reader(_zone_state())
        if fixed is not None:
            return fixed
    seen: dict[float, Any] = {}

    def read(value: datetime) -> Any:
        seconds = epoch_seconds(value)
        parsed = seen.get(seconds)
        if parsed is None:
            parsed = seen[seconds] = parser(seconds)
        return parsed

    return read


def _default_parser() -> Any:
    import botocore.parsers

    return botocore.parsers.DEFAULT_TIMESTAMP_PARSER


#: Sample instants the shortcut must agree with botocore on: epoch, 2001, 2025, 2038, and
#: one with microseconds (the wire's float then carries more than milliseconds).
_SAMPLES = (0.0, 1e9 + 0.123, 1.7356e9 + 0.5, 2.1e9 + 0.999, 1.7356e9 + 0.123457)
#: Where a millisecond instant's epoch float reads back as exactly that instant: a double
#: below 2**32 seconds errs by under half a microsecond, and fromtimestamp rounds to one.
_EXACT_FROM = datetime(1970, 1, 1, tzinfo=timezone.utc)
_EXACT_UNTIL = datetime(2100, 1, 1, tzinfo=timezone.utc)
#: UTC instants the shortcut keeps read, across responses (a suite's fake clocks all start
#: at the same instant): at most this many, then it starts afresh.
_KEPT = 4096


ZoneState = tuple[int, int, int, Any]


def _zone_state() -> ZoneState:
    from botocore.compat import get_tzinfo_options

    return time.timezone, time.altzone, time.daylight, get_tzinfo_options()


@functools.lru_cache(maxsize=4)
def _fixed_offset_reader(zone_state: ZoneState) -> Callable[[datetime], datetime] | None:
    """botocore's default parse of a datetime's epoch float, in C, where the local zone
    has a fixed offset.

    dateutil's ``tzlocal`` takes its offsets from ``time.timezone`` and
    ``time.altzone``: with no daylight saving time, local time is UTC plus
    ``-time.timezone``, fold 0, whatever the date. A UTC instant of whole
    milliseconds (every record's) is shifted as it is; any other goes through
    its float, as botocore reads it. Checked on samples against botocore
    before use, once per zone.
    """
    from botocore.utils import parse_timestamp
    from dateutil.tz import tzlocal  # type: ignore[import-untyped, unused-ignore]

    std, dst, daylight, options = zone_state  # as of this call: time.tzset() makes another
    if options[0] is not tzlocal or (daylight and dst != std):
        return None
    zone = tzlocal()
    offset = timedelta(seconds=-std)

    def parse(value: datetime) -> datetime:
        if (
            value.tzinfo is timezone.utc
            and not value.microsecond % 1000
            and _EXACT_FROM <= value < _EXACT_UNTIL
        ):
            return (value + offset if offset else value).replace(tzinfo=zone, fold=0)
        utc = datetime.fromtimestamp(epoch_seconds(value), timezone.utc)
        return (utc + offset).replace(tzinfo=zone)

    for sample in _SAMPLES:
        ours = parse(datetime.fromtimestamp(sample, timezone.utc))
        theirs = parse_timestamp(sample)
        if (ours, ours.utcoffset(), ours.fold, repr(ours)) != (
            theirs, theirs.utcoffset(), theirs.fold, repr(theirs)
        ):  # fmt: skip
            return None
    kept: dict[datetime, datetime] = {}

    def read(value: datetime) -> datetime:
        if value.tzinfo is not timezone.utc:
            # Not kept: equal datetimes of a zone with two readings of one wall time
            # (fold 0 and 1) hash alike, and are an hour apart.
            return parse(value)
        parsed = kept.get(value)
        if parsed is None:
            if len(kept) >= _KEPT:
                kept.clear()
            parsed = kept[value] = parse(value)
        return parsed

    return read
