"""Real SSM documents: their plugins or steps, platforms and typical output.

Schema 1.2 documents report one plugin per ``runtimeConfig`` entry, named by its
action (``aws:runShellScript``). Schema 2.2 documents report one plugin per
``mainSteps`` entry, named by the step (``PatchLinux``); a step whose platform
precondition does not match the node is skipped and reported as Success with
the agent's "skipped" message.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

LINUX = "Linux"
WINDOWS = "Windows"
MACOS = "MacOS"


@dataclass(frozen=True)
class Step:
    """One plugin of a document, as ListCommandInvocations names it."""

    name: str
    action: str
    platform: str | None = None
    """The ``platformType`` precondition (schema 2.2), or ``None`` for every platform."""
    output: str = ""
    """What the step prints when it succeeds before the document's last step."""

    @property
    def s3_folder(self) -> str:
        """The action without its colon, as the agent names S3 and log folders."""
        return self.action.replace(":", "")


@dataclass(frozen=True)
class Failure:
    stdout: str
    stderr: str
    """``{script}`` stands for the path of the script the agent ran (see :func:`script_path`)."""


@dataclass(frozen=True)
class Document:
    name: str
    schema_version: str
    platforms: tuple[str, ...]
    steps: tuple[Step, ...]
    success_output: tuple[str, ...]
    failures: tuple[Failure, ...]
    duration: tuple[float, float]
    """Typical run time of one plugin, in seconds (low, high)."""
    shell: bool = True
    """Failures end with the agent's "failed to run commands: exit status N" line."""

    def steps_for(self, platform: str) -> tuple[tuple[Step, bool], ...]:
        """Each step with whether it runs on ``platform`` (False: skipped)."""
        plan = self._plans.get(platform)
        if plan is None:
            plan = tuple((s, s.platform is None or s.platform == platform) for s in self.steps)
            self._plans[platform] = plan
        return plan

    def deciding_step(self, platform: str) -> int:
        """The index of the last step that runs on ``platform``: its result decides."""
        index = self._deciding.get(platform)
        if index is None:
            steps = self.steps_for(platform)
            index = self._deciding[platform] = max(i for i, (_, r) in enumerate(steps) if r)
        return index

    @cached_property
    def _plans(self) -> dict[str, tuple[tuple[Step, bool], ...]]:
        return {}

    @cached_property
    def _deciding(self) -> dict[str, int]:
        return {}


#: How the agent words a skipped step: agents 3.x name the precondition; older ones
#: (2.x, amazon-ssm-agent ``runpluginutil``) said "incompatible platform".
SKIP_WORDINGS = ("preconditions", "platform")


def skipped_output(step: Step, wording: str = "preconditions") -> str:
    """The agent's Output for a schema 2.2 step whose platform precondition failed.

    Word for word what the user guide quotes ("Step execution skipped due to
    unsatisfied preconditions: '"StringEquals": [platformType, Windows]'. Step
    name: createDownloadFolder"), or with ``wording="platform"`` what older
    agents wrote.
    """
    if wording == "platform":
        return f"Step execution skipped due to incompatible platform. Step name: {step.name}"
    if wording != "preconditions":
        raise ValueError(f"skip_wording={wording!r}; valid: {', '.join(SKIP_WORDINGS)}")
    return (
        "Step execution skipped due to unsatisfied preconditions: "
        f"'\"StringEquals\": [platformType, {step.platform}]'. Step name: {step.name}"
    )


def script_path(instance_id: str, command_id: str, step: Step, platform: str) -> str:
    """Where the agent writes a step's script, as failing scripts' stderr names it.

    Schema 1.2 (seen in real stderr): ``/var/lib/amazon/ssm/<instance-id>/document/
    orchestration/<command-id>/awsrunShellScript/0.awsrunShellScript/_script.sh``.
    unverified: a schema 2.2 step's folder is taken to be its name, and Windows
    nodes to keep the same layout under ``C:\\ProgramData\\Amazon\\SSM\\InstanceData``.
    """
    folders = [step.s3_folder, f"0.{step.s3_folder}"] if ":" in step.name else [step.name]
    if platform == WINDOWS:
        root = r"C:\ProgramData\Amazon\SSM\InstanceData"
        parts = [root, instance_id, "document", "orchestration", command_id, *folders]
        return "\\".join([*parts, "_script.ps1"])
    parts = ["/var/lib/amazon/ssm", instance_id, "document", "orchestration", command_id]
    return "/".join([*parts, *folders, "_script.sh"])


def exit_status_line(code: int) -> str:
    """What the agent appends to stderr when a script exits non-zero."""
    return f"failed to run commands: exit status {code}"


_APT = (
    "Hit:1 http://us-east-1.ec2.archive.ubuntu.com/ubuntu jammy InRelease\n"
    "Get:2 http://us-east-1.ec2.archive.ubuntu.com/ubuntu jammy-updates InRelease [128 kB]\n"
    "Fetched 128 kB in 1s (187 kB/s)\nReading package lists...\n"
)

DOCUMENTS: tuple[Document, ...] = (
    Document(
        name="AWS-RunShellScript",
        schema_version="1.2",
        platforms=(LINUX, MACOS),
        steps=(Step("aws:runShellScript", "aws:runShellScript"),),
        success_output=(
            " 01:12:44 up 23 days,  4:05,  0 users,  load average: 0.08, 0.03, 0.01\n",
            "Filesystem      Size  Used Avail Use% Mounted on\n"
            "/dev/nvme0n1p1   30G  7.9G   23G  27% /\n"
            "tmpfs           3.9G     0  3.9G   0% /dev/shm\n",
            "active\n",
            _APT,
            "amazon-ssm-agent-3.3.987.0-1.x86_64\n",
            "",
        ),
        failures=(
            Failure(
                "",
                "{script}: line 1: systemctl2: command not found",
            ),
            Failure(
                "Stopping nginx...\n",
                "Job for nginx.service failed because the control process exited with error code.",
            ),
            Failure(
                "",
                "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by "
                "process 2318 (unattended-upgr)",
            ),
            Failure("", "cat: /etc/app/config.yml: No such file or directory"),
        ),
        duration=(0.05, 30.0),
    ),
    Document(
        name="AWS-RunPowerShellScript",
        schema_version="1.2",
        platforms=(WINDOWS,),
        steps=(Step("aws:runPowerShellScript", "aws:runPowerShellScript"),),
        success_output=(
            "\r\nStatus   Name               DisplayName\r\n"
            "------   ----               -----------\r\n"
            "Running  AmazonSSMAgent     Amazon SSM Agent\r\n\r\n",
            "\r\nMajor  Minor  Build  Revision\r\n-----  -----  -----  --------\r\n"
            "10     0      20348  0\r\n\r\n",
            "",
        ),
        failures=(
            Failure(
                "",
                "Get-Service : Cannot find any service with service name 'W3SVC'.\r\n"
                "At {script}:1 char:1",
            ),
            Failure("Restarting IIS...\r\n", "Access is denied."),
        ),
        duration=(0.8, 45.0),
    ),
    Document(
        name="AWS-UpdateSSMAgent",
        schema_version="1.2",
        platforms=(LINUX, WINDOWS, MACOS),
        steps=(Step("aws:updateSsmAgent", "aws:updateSsmAgent"),),
        success_output=(
            "Updating amazon-ssm-agent from 3.3.859.0 to latest\n"
            "Successfully downloaded https://s3.us-east-1.amazonaws.com/"
            "amazon-ssm-us-east-1/ssm-agent-manifest.json\n"
            "amazon-ssm-agent 3.3.987.0 has already been installed, update skipped\n",
            "Updating amazon-ssm-agent from 3.2.2303.0 to latest\n"
            "Successfully downloaded https://s3.us-east-1.amazonaws.com/"
            "amazon-ssm-us-east-1/ssm-agent-manifest.json\n"
            "Successfully downloaded https://s3.us-east-1.amazonaws.com/amazon-ssm-us-east-1/"
            "amazon-ssm-agent-updater/3.3.987.0/amazon-ssm-agent-updater-linux-amd64.tar.gz\n"
            "Initiating amazon-ssm-agent update to 3.3.987.0\n"
            "amazon-ssm-agent updated successfully to 3.3.987.0\n",
        ),
        failures=(
            Failure(
                "Updating amazon-ssm-agent from 3.2.2303.0 to latest\n",
                "failed to download manifest - failed to retrieve update manifest: "
                "RequestError: send request failed",
            ),
        ),
        duration=(0.1, 90.0),
        shell=False,
    ),
    Document(
        name="AWS-ConfigureAWSPackage",
        schema_version="2.2",
        platforms=(LINUX, WINDOWS),
        # Two steps (the user guide's walkthrough shows createDownloadFolder skipped on
        # Linux, "Step 2 - Output" holding the result): GetCommandInvocation needs PluginName.
        steps=(
            Step("createDownloadFolder", "aws:runPowerShellScript", WINDOWS),
            Step("configurePackage", "aws:configurePackage"),
        ),
        success_output=(
            "Initiating AmazonCloudWatchAgent 1.300049.1 install\n"
            "Plugin aws:runShellScript ResultStatus Success\n"
            "install output: Running sh install.sh\ncreate group cwagent, result: 0\n"
            "create user cwagent, result: 0\n"
            "Successfully installed AmazonCloudWatchAgent 1.300049.1\n",
            "Initiating AWSCodeDeployAgent 1.7.0 install\n"
            "Successfully installed AWSCodeDeployAgent 1.7.0\n",
        ),
        failures=(
            Failure(
                "Initiating AmazonCloudWatchAgent 1.300049.1 install\n",
                "failed to download installation package reliably, "
                "https://s3.amazonaws.com/... : 403 Forbidden",
            ),
        ),
        duration=(3.0, 120.0),
        shell=False,
    ),
    Document(
        name="AWS-RunPatchBaseline",
        schema_version="2.2",
        platforms=(LINUX, WINDOWS, MACOS),
        steps=(
            Step("PatchWindows", "aws:runPowerShellScript", WINDOWS),
            Step("PatchLinux", "aws:runShellScript", LINUX),
            Step("PatchMacOS", "aws:runShellScript", MACOS),
        ),
        success_output=(
            "/usr/bin/python3\n/usr/bin/yum\nDownloading baseline from S3...\n"
            "Patch group: default\nOperation type: Scan\n"
            "Instance Id: i-0abc\nRegion: us-east-1\n"
            "Installed count: 312\nMissing count: 0\nFailed count: 0\n"
            "Reporting compliance summary...\n",
            "/usr/bin/python3\nOperation type: Install\nInstalled count: 309\n"
            "Installed pending reboot count: 3\nMissing count: 0\n"
            "Rebooting the instance to complete patching...\n",
        ),
        failures=(
            Failure(
                "/usr/bin/python3\nOperation type: Install\n",
                "Error Message: An error occurred when attempting to search Windows "
                "Update.\nException from HRESULT: 0x80072EE2",
            ),
            Failure(
                "/usr/bin/python3\n",
                "Failed to run yum: One of the configured "
                "repositories failed (Amazon Linux 2 core)",
            ),
        ),
        duration=(20.0, 1800.0),
    ),
    Document(
        name="AWS-ApplyAnsiblePlaybooks",
        schema_version="2.2",
        platforms=(LINUX,),
        steps=(
            Step("downloadContent", "aws:downloadContent"),
            Step("runShellScript", "aws:runShellScript"),
        ),
        success_output=(
            "PLAY [all] *********************************************************************\n\n"
            "TASK [Gathering Facts] *********************************************************\n"
            "ok: [localhost]\n\nTASK [nginx : install] *****************************************"
            "*****************\nchanged: [localhost]\n\nPLAY RECAP *****************************"
            "****************************************\nlocalhost                  : ok=2    "
            "changed=1    unreachable=0    failed=0\n",
        ),
        failures=(
            Failure(
                'TASK [nginx : install] ****\nfatal: [localhost]: FAILED! => {"changed": '
                'false, "msg": "No package matching \'ngnix\' is available"}\n',
                "ERROR! Playbook run failed",
            ),
        ),
        duration=(5.0, 300.0),
    ),
    Document(
        name="AWS-RunRemoteScript",
        schema_version="2.2",
        platforms=(LINUX, WINDOWS),
        steps=(
            # The document's order; downloadContent reports an empty Output.
            Step("downloadContent", "aws:downloadContent"),
            Step("runPowerShellScript", "aws:runPowerShellScript", WINDOWS),
            Step("runShellScript", "aws:runShellScript", LINUX),
        ),
        success_output=(
            "Running healthcheck.py\n",
            "collected 4 items\nall checks passed\n",
        ),
        failures=(
            Failure(
                "", "python3: can't open file 'healthcheck.py': [Errno 2] No such file or directory"
            ),
        ),
        duration=(1.0, 120.0),
    ),
    Document(
        name="AWS-ConfigureCloudWatch",
        schema_version="1.2",
        platforms=(WINDOWS,),
        steps=(Step("aws:cloudWatch", "aws:cloudWatch"),),
        success_output=("",),
        failures=(Failure("", "Invalid Json: unexpected end of JSON input"),),
        duration=(0.5, 10.0),
        shell=False,
    ),
    Document(
        name="AWS-JoinDirectoryServiceDomain",
        schema_version="1.2",
        platforms=(WINDOWS, LINUX),
        steps=(Step("aws:domainJoin", "aws:domainJoin"),),
        success_output=(
            "Domain join succeeded. Domain name: corp.example.com\n"
            "The computer will reboot to complete the domain join.\n",
        ),
        failures=(
            Failure(
                "",
                "Domain join failed with exit code: 1355. The specified domain "
                "either does not exist or could not be contacted.",
            ),
        ),
        duration=(10.0, 180.0),
        shell=False,
    ),
)

_BY_NAME = {d.name: d for d in DOCUMENTS}


def document(value: str | Document) -> Document:
    """A catalogued document by name; ``ValueError`` lists the known ones."""
    if isinstance(value, Document):
        return value
    found = _BY_NAME.get(value)
    if found is None:
        raise ValueError(
            f"unknown document {value!r}; catalogued documents: {', '.join(_BY_NAME)} "
            "(pass a Document to use your own)"
        )
    return found


def is_catalogued(name: str) -> bool:
    return name in _BY_NAME


def custom_document(name: str) -> Document:
    """A document the catalogue does not know: one ``aws:runShellScript`` plugin.

    Used for commands whose document is the user's own (moto's SendCommand
    reports those with that single plugin too).
    """
    shell = _BY_NAME["AWS-RunShellScript"]
    return Document(
        name=name,
        schema_version="2.2",
        platforms=(LINUX,),
        steps=(Step("aws:runShellScript", "aws:runShellScript"),),
        success_output=shell.success_output,
        failures=shell.failures,
        duration=shell.duration,
    )
