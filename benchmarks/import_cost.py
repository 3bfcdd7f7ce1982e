"""What loading the pytest plugin costs a suite that never uses it.

Run: python benchmarks/import_cost.py

pytest imports ``pytest_ssm_invocations.plugin`` at start-up wherever the
package is installed. This prints its own import time (``python -X importtime``,
cumulative microseconds, pytest itself excluded since pytest is already loaded
then) and checks that moto, faker, hypothesis and botocore stay unloaded.
Bytecode is cached first, in a temporary folder, as an installed package has
it: compiling the source would otherwise be most of what is measured.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

HEAVY = ("moto", "faker", "hypothesis", "botocore", "boto3")


def main() -> None:
    code = (
        "import pytest, sys\n"
        "import pytest_ssm_invocations.plugin\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    with tempfile.TemporaryDirectory() as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = cache
        command = [sys.executable, "-X", "importtime", "-c", code]
        runs = [
            subprocess.run(command, capture_output=True, text=True, check=True, env=env)
            for _ in range(6)
        ]
    ours = min(_cumulative_us(run.stderr) for run in runs[1:])  # the first one fills the cache
    print(f"import pytest_ssm_invocations.plugin: {ours / 1000:.2f} ms (cumulative, pytest loaded)")
    print(f"heavy modules loaded by it: {runs[-1].stdout.strip()}")


def _cumulative_us(importtime: str) -> int:
    for line in importtime.splitlines():
        parts = [p.strip() for p in line.removeprefix("import time:").split("|")]
        if len(parts) == 3 and parts[2] == "pytest_ssm_invocations.plugin":
            return int(parts[1])
    raise RuntimeError("pytest_ssm_invocations.plugin was not imported")


if __name__ == "__main__":
    main()
