"""The ``ssm-invocations`` command: generate records, serve the fake, show the statuses.

ssm-invocations generate --instances 50 --status-mix Success=45,Failed=5 --details
ssm-invocations serve --port 4510 --load captured.json
ssm-invocations statuses
ssm-invocations parity tests/parity/snapshots --endpoint https://ssm.eu-west-1.amazonaws.com
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .catalogue.defaults import DEFAULT_REGION

EPILOG = "Records are reproducible: the same --seed gives the same output."


def _status_mix(text: str) -> dict[str, int]:
    """``Success=40,Failed=5`` as a mapping; argparse turns errors into exit status 2."""
    from .catalogue.statuses import status_case

    mix: dict[str, int] = {}
    for part in text.split(","):
        name, sep, count = part.partition("=")
        if not sep or not count.strip().isdigit():
            raise argparse.ArgumentTypeError(
                f"{part!r} is not STATUS=COUNT (for example Success=40,Failed=5)"
            )
        try:
            case = status_case(name.strip())
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None
        mix[case.status_details] = mix.get(case.status_details, 0) + int(count)
    return mix


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}")
    return int(text)


def _page_size(text: str) -> int:
    size = _positive(text)
    if size > 50:
        raise argparse.ArgumentTypeError(f"page size {size} is over 50 (MaxResults)")
    return size


def _document(text: str) -> str:
    """A catalogued document name, as ``--document`` takes it."""
    from .catalogue.documents import DOCUMENTS, is_catalogued

    if not is_catalogued(text):
        names = ", ".join(d.name for d in DOCUMENTS)
        raise argparse.ArgumentTypeError(f"unknown document {text!r}; --document takes: {names}")
    return text


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 0 to 65535, got {text!r}")
    return int(text)


def _instance_id(text: str) -> str:
    from .records.ids import check_instance_id

    try:
        return check_instance_id(text, "--instance")
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _version() -> str:
    from . import __version__

    return __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ssm-invocations",
        description="AWS Systems Manager Run Command results for tests: records, a local "
        "endpoint, the status catalogue.",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    generate = commands.add_parser(
        "generate",
        help="print ListCommandInvocations JSON as `aws ssm list-command-invocations` does",
        description="Print a ListCommandInvocations response exactly as `aws ssm "
        "list-command-invocations --output json` prints it (epoch timestamps). With "
        "--page-size, print the NextToken chain as separate responses, one after another.",
        epilog=EPILOG,
    )
    generate.add_argument("--instances", type=_positive, help="number of nodes (default 3)")
    generate.add_argument(
        "--status-mix", type=_status_mix, metavar="STATUS=N,...",
        help="status of the nodes, e.g. Success=40,Failed=5 (default: a healthy fleet mix)",
    )  # fmt: skip
    generate.set_defaults(parser=generate)
    generate.add_argument(
        "--document", type=_document, help="SSM document name (default: drawn by seed)"
    )
    generate.add_argument("--details", action="store_true", help="include CommandPlugins")
    generate.add_argument("--seed", type=int, default=0, help="seed (default 0)")
    generate.add_argument(
        "--region", default=DEFAULT_REGION, help=f"region (default {DEFAULT_REGION})"
    )
    generate.add_argument("--page-size", type=_page_size, help="split into pages of N (1..50)")

    serve = commands.add_parser(
        "serve",
        help="serve the fake SSM on a local endpoint until Ctrl-C or SIGTERM",
        description="Serve ListCommandInvocations, GetCommandInvocation and ListCommands "
        "over HTTP (AWS JSON 1.1). Point clients at it with AWS_ENDPOINT_URL_SSM.",
        epilog=EPILOG,
    )
    serve.set_defaults(parser=serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=0, help="port (default: a free one)")
    serve.add_argument("--seed", type=int, default=0, help="seed of the fake (default 0)")
    serve.add_argument(
        "--region", default=DEFAULT_REGION, help=f"default region (default {DEFAULT_REGION})"
    )
    serve.add_argument(
        "--load", type=Path, action="append", default=[], metavar="FILE",
        help="captured `aws ssm list-command-invocations --output json` output, AWS CLI v1 "
        "or v2, one response or several in a row as --page-size prints them (repeatable)",
    )  # fmt: skip
    serve.add_argument("--instances", type=_positive, help="also send a command to N nodes")
    serve.add_argument("--status-mix", type=_status_mix, metavar="STATUS=N,...",
                       help="status of those nodes")  # fmt: skip

    statuses = commands.add_parser(
        "statuses",
        help="print the StatusDetails catalogue as a table",
        description="Every StatusDetails case: Status, plugin Status, terminal, MaxErrors "
        "accounting, whether the node was reached, ResponseCode convention.",
    )
    statuses.set_defaults(parser=statuses)

    parity = commands.add_parser(
        "parity",
        help="replay real captures against the fake or an endpoint; report the differences",
        description="Replay each snapshot's requests (real AWS captures) and compare the "
        "answers with AWS's: against a fresh in-process fake each, or with --endpoint "
        "against any SSM endpoint (AWS itself, with your own credentials and nodes). "
        "Exit status 1 when an answer differs, a replay stops, or nothing was compared.",
    )
    parity.set_defaults(parser=parity)
    parity.add_argument("snapshots", nargs="+", type=Path, metavar="SNAPSHOT",
                        help="snapshot files, or folders of them")  # fmt: skip
    parity.add_argument(
        "--endpoint", metavar="URL",
        help="replay against this endpoint; the snapshots that need nodes need --instance",
    )  # fmt: skip
    parity.add_argument(
        "--region",
        help="with --endpoint: this region, not each capture's (an AWS endpoint's own region "
        "by default)",
    )
    parity.add_argument(
        "--instance", action="append", type=_instance_id, metavar="ID", dest="nodes",
        help="with --endpoint: a managed node of yours standing for the capture's nodes, "
        "in their order (repeatable)",
    )  # fmt: skip
    parity.add_argument(
        "--send-commands", action="store_true",
        help="with --endpoint: also replay the snapshots that send commands; they run on "
        "the nodes given (the captures' scripts, updates and patch installs)",
    )  # fmt: skip
    parity.add_argument("--report", type=Path, metavar="FILE", help="write the report here")
    parity.add_argument(
        "--record", type=Path, metavar="FOLDER",
        help="write what the endpoint answered as new snapshots into FOLDER (steps may "
        "leave out their response: scenarios to record)",
    )  # fmt: skip
    parity.add_argument("--patience", type=_positive, default=900, metavar="SECONDS",
                        help="how long to wait for a command to finish (default 900)")  # fmt: skip
    return parser


def _generate(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from . import wire
    from .records.commands import command
    from .records.pages import pages, response

    try:
        records = command(
            instances=args.instances, statuses=args.status_mix, document=args.document,
            details=args.details, seed=args.seed, region=args.region,
        )  # fmt: skip
    except (TypeError, ValueError) as error:
        parser.error(str(error))
    chain = pages(records, page_size=args.page_size) if args.page_size else [response(records)]
    for page in chain:
        print(wire.dumps(page, indent=4))
    return 0


def _serve(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .fake import FakeSSM
    from .transports.http_server import SERVER_CALL_LOG, SSMServer

    fake = FakeSSM(seed=args.seed, region=args.region, call_limit=SERVER_CALL_LOG)
    try:
        for path in args.load:
            fake.load(path)
        if args.instances is not None or args.status_mix is not None:
            fake.add_command(instances=args.instances, statuses=args.status_mix)
    except (OSError, TypeError, ValueError) as error:
        parser.error(str(error))
    try:
        server = SSMServer(fake, args.host, args.port)
    except OSError as error:
        parser.error(f"cannot listen on {args.host}:{args.port}: {error.strerror}")

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    # Installed explicitly: a shell starts a background job (`&`) with SIGINT
    # ignored, and Python then leaves it ignored.
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    print(banner(server.endpoint_url, server.env()), flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    print("Stopped.", flush=True)
    return 0


def banner(endpoint_url: str, env: dict[str, str]) -> str:
    """What ``serve`` prints: the endpoint, and the shell lines that point the AWS CLI at it."""
    import shlex

    exports = [f"  export {name}={shlex.quote(value)}" for name, value in env.items()]
    return "\n".join(
        [
            f"Serving SSM on {endpoint_url} (Ctrl-C to stop)",
            "In another shell, paste these lines, then run `aws ssm list-command-invocations`:",
            *exports,
        ]
    )


def _statuses() -> int:
    from .catalogue.statuses import TABLE_HEADER, table_rows

    rows = [TABLE_HEADER, *table_rows()]
    widths = [max(len(row[i]) for row in rows) for i in range(len(TABLE_HEADER))]
    for n, row in enumerate(rows):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))
    return 0


def _parity(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from datetime import datetime, timezone

    from .parity.record import recorded
    from .parity.replay import replay_all
    from .parity.report import report
    from .parity.snapshots import SnapshotError, dump, load_all

    if args.nodes and len(set(args.nodes)) < len(args.nodes):
        parser.error(f"--instance names a node twice: {args.nodes}; one node per capture's node")
    if (args.region or args.nodes or args.send_commands) and not args.endpoint:
        parser.error("--region, --instance and --send-commands choose what stands in for "
                     "the capture's account: they need --endpoint")  # fmt: skip
    try:
        snapshots = load_all(args.snapshots, scenario=args.record is not None)
    except SnapshotError as error:
        parser.error(str(error))
    if args.endpoint:
        results = replay_all(
            snapshots, endpoint=args.endpoint, region=args.region, nodes=args.nodes,
            patience_s=args.patience, send_commands=args.send_commands,
        )  # fmt: skip
    else:
        results = _on_the_fake(snapshots)
    text = report(results, args.endpoint or "the in-process fake")
    if args.report:
        args.report.write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    if args.record:
        args.record.mkdir(parents=True, exist_ok=True)
        today = datetime.now(timezone.utc).date()
        for result in results:
            source = f"recorded from {args.endpoint or 'the in-process fake'}"
            target = args.record / f"{result.snapshot.name}.json"
            try:
                dump(recorded(result, source, today), target)
            except (ValueError, FileExistsError) as error:
                print(f"not recorded: {error}", file=sys.stderr)
    compared = [r for r in results if not r.skipped]
    return 0 if compared and all(r.same for r in compared) else 1


def _on_the_fake(snapshots: Sequence[Any]) -> list[Any]:
    """Replay on fresh fakes with the caller's AWS setup out of the way, as the fixture does."""
    import pytest

    from .parity.replay import replay_all
    from .pytest_side.environment import isolate

    with pytest.MonkeyPatch.context() as patch:
        isolate(patch, DEFAULT_REGION)
        return replay_all(snapshots)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    subcommand: argparse.ArgumentParser = args.parser  # its errors show its own usage
    if args.command == "generate":
        return _generate(args, subcommand)
    if args.command == "serve":
        return _serve(args, subcommand)
    if args.command == "parity":
        return _parity(args, subcommand)
    return _statuses()


if __name__ == "__main__":
    sys.exit(main())
