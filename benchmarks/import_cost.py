"""What loading the pytest plugin costs a suite that never uses it.

Run: python benchmarks/import_cost.py

pytest imports ``pytest_ssm_invocations.plugin`` at start-up wherever the
package is installed. This prints its own import time (``python -X importtime``,
cumulative microseconds, pytest itself excluded since pytest is already loaded
then) and checks that moto, faker, hypothesis and botocore stay unloaded.
"""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("moto", "faker", "hypothesis", "botocore", "boto3")


def main() -> None:
    code = (
        "import pytest, sys\n"
        "import pytest_ssm_invocations.plugin\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, check=True
    )
    ours = 0
    for line in run.stderr.splitlines():
        parts = [p.strip() for p in line.removeprefix("import time:").split("|")]
        if len(parts) == 3 and parts[2].strip() == "pytest_ssm_invocations.plugin":
            ours = int(parts[1])
    print(f"import pytest_ssm_invocations.plugin: {ours / 1000:.2f} ms (cumulative, pytest loaded)")
    print(f"heavy modules loaded by it: {run.stdout.strip()}")


if __name__ == "__main__":
    main()
