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
    """What a failing script printed (its own streams, before the agent's line)."""

    stdout: str
    stderr: str
    """``{script}`` stands for the path of the script the agent ran (see :func:`script_path`)."""
    code: int | None = None
    """The exit code the failing command gives (``cat`` of a missing file: 1, a command
    not found: 127), the plugin's ResponseCode unless the test names one; None: any of
    the case's codes."""


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
    source: str = ""
    """Where the document's name, platforms, parameters and steps were read (a URL)."""

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


def with_exit_status(stderr: str, code: int) -> str:
    """A failed script's stderr as the agent reports it: the script's own, then its line.

    amazon-ssm-agent's runscript appends "failed to run commands: exit status N"
    on a line of its own (a terratest capture shows it after the script's stderr,
    and alone when the script wrote none). A stderr that already ends with the
    line keeps it once: a test may pass stderr copied from a real Output.
    """
    line = exit_status_line(code)
    if code <= 0 or stderr.endswith(line):
        return stderr
    return f"{stderr}\n{line}" if stderr else line


UG = "https://docs.aws.amazon.com/systems-manager/latest/userguide/"
"""The Systems Manager user guide, where most AWS documents are described."""

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
                127,  # bash: command not found
            ),
            Failure(
                "Stopping nginx...\n",
                "Job for nginx.service failed because the control process exited with error code.",
                1,  # systemctl: the job failed
            ),
            Failure(
                "",
                "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by "
                "process 2318 (unattended-upgr)",
                100,  # apt-get's exit code on an error
            ),
            Failure("", "cat: /etc/app/config.yml: No such file or directory", 1),
        ),
        duration=(0.05, 30.0),
        source=UG + "documents-command-ssm-plugin-reference.html#aws-runShellScript",
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
        source=UG + "documents-command-ssm-plugin-reference.html#aws-runPowerShellScript",
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
        source=UG + "documents-command-ssm-plugin-reference.html#aws-updatessmagent",
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
        source=UG + "distributor-working-with-packages-deploy.html",
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
        source=UG + "patch-manager-aws-runpatchbaseline.html",
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
        source=UG + "systems-manager-state-manager-ansible.html",
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
                "",
                "python3: can't open file 'healthcheck.py': [Errno 2] No such file or directory",
                2,  # python3: a script it cannot open
            ),
        ),
        duration=(1.0, 120.0),
        source=UG + "integration-remote-scripts.html",
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
        source=UG + "walkthrough-powershell.html#walkthrough-powershell-windows-metrics",
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
        source=UG + "walkthrough-powershell.html#walkthrough-powershell-domain-join",
    ),
    # AWS documents programs send beyond the nine above. Where the document's content
    # could not be read from public material, a detail is marked unverified and the
    # most plausible value chosen. Their weights in records/draws are zero: built on
    # request (or sent by the code under test), never drawn.
    Document(
        name="AWS-RunPatchBaselineAssociation",
        schema_version="2.2",
        # The user guide: "Linux, macOS, and Windows Server" EC2 instances.
        platforms=(LINUX, WINDOWS, MACOS),
        # unverified: the steps are taken to be AWS-RunPatchBaseline's (the two share
        # the patching modules); the user guide does not list them.
        steps=(
            Step("PatchWindows", "aws:runPowerShellScript", WINDOWS),
            Step("PatchLinux", "aws:runShellScript", LINUX),
            Step("PatchMacOS", "aws:runShellScript", MACOS),
        ),
        success_output=(
            "/usr/bin/python3\nPatch group: default\nOperation type: Scan\n"
            "Association Id: 8dfe3659-4309-493a-8755-0123456789ab\n"
            "Installed count: 312\nMissing count: 0\nFailed count: 0\n"
            "Reporting association compliance...\n",
        ),
        failures=(
            Failure(
                "/usr/bin/python3\nOperation type: Scan\n",
                "Failed to run yum: One of the configured repositories failed "
                "(Amazon Linux 2 core)",
            ),
        ),
        duration=(20.0, 1800.0),
        source=UG + "patch-manager-aws-runpatchbaselineassociation.html",
    ),
    Document(
        name="AWS-RunPatchBaselineWithHooks",
        schema_version="2.2",
        # The user guide: Linux and Windows Server; "not supported on macOS".
        platforms=(LINUX, WINDOWS),
        # unverified: the user guide describes eight steps (scan, a check of its result,
        # the pre-install hook, Install with NoReboot through AWS-RunPatchBaseline, the
        # post-install hook, a check whether to reboot, reboot and report, the on-exit
        # hook) but not their names; these are the plausible names of those steps, each
        # aws:runDocument but the two checks, which are scripts.
        steps=(
            Step("InitialScan", "aws:runDocument"),
            Step("CheckScanResultLinux", "aws:runShellScript", LINUX),
            Step("CheckScanResultWindows", "aws:runPowerShellScript", WINDOWS),
            Step("PreInstallHook", "aws:runDocument"),
            Step("InstallWithNoReboot", "aws:runDocument"),
            Step("PostInstallHook", "aws:runDocument"),
            Step("CheckRebootLinux", "aws:runShellScript", LINUX),
            Step("CheckRebootWindows", "aws:runPowerShellScript", WINDOWS),
            Step("RebootAndReport", "aws:runDocument"),
            Step("OnExitHook", "aws:runDocument"),
        ),
        success_output=("", "Noop\n"),
        failures=(Failure("", "Document AWS-Noop failed: hook exited 1"),),
        duration=(5.0, 1800.0),
        shell=False,
        source=UG + "patch-manager-aws-runpatchbaselinewithhooks.html",
    ),
    Document(
        name="AWS-InstallApplication",
        schema_version="1.2",
        platforms=(WINDOWS,),  # aws:applications "only runs on Windows Server"
        steps=(Step("aws:applications", "aws:applications"),),
        success_output=("",),
        failures=(Failure("", "Failed to install application: msiexec exited with code 1603"),),
        duration=(5.0, 600.0),
        shell=False,
        source=UG + "walkthrough-powershell.html#walkthrough-powershell-install-application",
    ),
    Document(
        name="AWS-RunAnsiblePlaybook",
        schema_version="2.0",  # unverified: a schema 2.0 document of one step
        platforms=(LINUX,),
        # unverified: the step's name is taken to be its action's, as in AWS's other
        # single-script documents.
        steps=(Step("runShellScript", "aws:runShellScript"),),
        success_output=(
            "PLAY [all] *********************************************************************\n\n"
            "TASK [Gathering Facts] *********************************************************\n"
            "ok: [localhost]\n\nPLAY RECAP *****************************************************"
            "****************\nlocalhost                  : ok=1    changed=0    unreachable=0    "
            "failed=0\n",
        ),
        failures=(
            Failure(
                "",
                "ERROR! the playbook: /var/lib/amazon/ssm/playbook.yml could not be found",
            ),
        ),
        duration=(5.0, 300.0),
        source=UG + "systems-manager-state-manager-ansible.html",
    ),
    Document(
        name="AWS-RunSaltState",
        schema_version="2.0",  # the document's content, as copied in public repositories
        platforms=(LINUX,),
        steps=(Step("runShellScript", "aws:runShellScript"),),  # unverified: its name
        success_output=(
            "local:\n----------\n          ID: nginx\n    Function: pkg.installed\n"
            "      Result: True\n     Comment: All specified packages are already installed\n\n"
            "Summary for local\n------------\nSucceeded: 1\nFailed:    0\n",
        ),
        failures=(
            Failure(
                "local:\n    Data failed to compile:\n",
                "Rendering SLS 'base:state' failed: mapping values are not allowed here",
            ),
        ),
        duration=(5.0, 300.0),
        # Not in the user guide: its content as the console publishes it (schema 2.0 and
        # the state/stateurl parameters seen copied in public repositories).
        source="https://console.aws.amazon.com/systems-manager/documents/AWS-RunSaltState/content",
    ),
    Document(
        name="AWS-RunInspecChecks",
        schema_version="2.2",
        platforms=(LINUX, WINDOWS),
        # unverified: the content was not found; a download step, then one InSpec run
        # per platform, as the user guide describes what the document does.
        steps=(
            Step("downloadContent", "aws:downloadContent"),
            Step("runInspecLinux", "aws:runShellScript", LINUX),
            Step("runInspecWindows", "aws:runPowerShellScript", WINDOWS),
        ),
        success_output=(
            "Profile: Port check (PortCheck)\nVersion: 0.1.0\n\n"
            "  ✔  port-22: Port 22 is not listening\n\n"
            "Profile Summary: 1 successful control, 0 control failures, 0 controls skipped\n",
        ),
        failures=(
            Failure(
                "Profile Summary: 0 successful controls, 1 control failure, 0 controls skipped\n",
                "",
                100,  # inspec exec: at least one control failed
            ),
        ),
        duration=(10.0, 600.0),
        source=UG + "integration-chef-inspec.html",
    ),
    Document(
        name="AWS-ConfigureDocker",
        schema_version="2.2",
        # aws:configureDocker "is supported on Linux and Windows Server".
        platforms=(LINUX, WINDOWS),
        steps=(Step("configureDocker", "aws:configureDocker"),),
        success_output=("Installing docker\nDocker installed successfully\n",),
        failures=(Failure("", "failed to install docker: exit status 1"),),
        duration=(10.0, 300.0),
        shell=False,
        source=UG + "documents-command-ssm-plugin-reference.html#aws-configuredocker",
    ),
    Document(
        name="AWS-FindWindowsUpdates",
        schema_version="1.2",  # unverified: a legacy document of one PowerShell plugin
        platforms=(WINDOWS,),
        steps=(Step("aws:runPowerShellScript", "aws:runPowerShellScript"),),
        success_output=(
            "\r\nKBArticleID Title\r\n----------- -----\r\n"
            "KB890830    Windows Malicious Software Removal Tool x64\r\n\r\n",
        ),
        failures=(Failure("", "Exception from HRESULT: 0x80072EE2"),),
        duration=(10.0, 600.0),
        source=UG + "patch-manager-ssm-documents.html",
    ),
    Document(
        name="AWS-InstallWindowsUpdates",
        schema_version="2.2",  # unverified: one PowerShell step named for the document
        platforms=(WINDOWS,),
        steps=(Step("InstallWindowsUpdates", "aws:runPowerShellScript"),),
        success_output=(
            # Its log lines, as aws/amazon-ssm-agent issue 681 quotes them.
            "| Info | Filtering on Category. (Pre-Search)\r\n"
            "| Info | Searching for Windows Updates.\r\n"
            "| Info | Found 0 available Windows Updates.\r\n",
        ),
        failures=(
            Failure(
                "| Info | Searching for Windows Updates.\r\n",
                "Exception from HRESULT: 0x80072EE2",
            ),
        ),
        duration=(30.0, 3600.0),
        source=UG + "patch-manager-ssm-documents.html",
    ),
    Document(
        name="AWS-UpdateEC2Config",
        schema_version="1.2",
        platforms=(WINDOWS,),  # aws:updateAgent "only runs on Windows Server"
        steps=(Step("aws:updateAgent", "aws:updateAgent"),),
        success_output=(
            "Updating Ec2Config from 4.9.3519 to latest\n"
            "Successfully downloaded https://s3.us-east-1.amazonaws.com/aws-ssm-us-east-1/"
            "manifest.json\nEc2Config updated successfully to 4.9.5288\n",
        ),
        failures=(Failure("", "failed to download manifest - RequestError: send request failed"),),
        duration=(5.0, 300.0),
        shell=False,
        source=UG + "walkthrough-powershell.html#walkthrough-powershell-update-ec2config",
    ),
    Document(
        name="AWS-GatherSoftwareInventory",
        schema_version="2.0",  # aws:softwareInventory is "Schema version 2.0 or later"
        platforms=(LINUX, WINDOWS, MACOS),
        steps=(Step("collectSoftwareInventoryItems", "aws:softwareInventory"),),
        success_output=("",),
        # The user guide: sent by Run Command rather than an association, the plugin
        # answers this (the fake still lets the test decide the outcome).
        failures=(
            Failure("", "The aws:softwareInventory plugin can only be invoked via ssm-associate."),
        ),
        duration=(1.0, 60.0),
        shell=False,
        source=UG + "documents-command-ssm-plugin-reference.html#aws-softwareinventory",
    ),
    Document(
        name="AWS-RunDocument",
        schema_version="2.2",
        platforms=(LINUX, WINDOWS, MACOS),
        # unverified: the step names are taken to be their actions', as in
        # AWS-RunRemoteScript (download, then run).
        steps=(
            Step("downloadContent", "aws:downloadContent"),
            Step("runDocument", "aws:runDocument"),
        ),
        success_output=("",),
        failures=(Failure("", "failed to run document: document not found"),),
        duration=(1.0, 300.0),
        shell=False,
        source=UG + "documents-running-remote-github-s3.html",
    ),
    Document(
        name="AmazonCloudWatch-ManageAgent",
        schema_version="2.2",
        platforms=(WINDOWS, LINUX, MACOS),
        steps=(
            Step("ControlCloudWatchAgentWindows", "aws:runPowerShellScript", WINDOWS),
            Step("ControlCloudWatchAgentLinux", "aws:runShellScript", LINUX),
            Step("ControlCloudWatchAgentMacOS", "aws:runShellScript", MACOS),
        ),
        success_output=(
            # ``action=status``, as an AWS lab shows its Output.
            '{\n  "status": "running",\n  "starttime": "2024-06-24T20:59:14+0000",\n'
            '  "configstatus": "configured",\n  "version": "1.300041.0b681"\n}\n',
            "****** processing amazon-cloudwatch-agent ******\n"
            "Successfully fetched the config and saved in "
            "/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.d/ssm_AmazonCloudWatch-linux"
            ".tmp\nStart configuration validation...\nConfiguration validation first phase "
            "succeeded\nConfiguration validation second phase succeeded\n"
            "Configuration validation succeeded\n",
        ),
        failures=(
            # The document's own words (its script echoes them, then exits 1).
            Failure(
                "CloudWatch Agent not installed.  Please install it using the "
                "AWS-ConfigureAWSPackage SSM Document.\n",
                "",
                1,  # the document's script: exit 1
            ),
            Failure("AmazonCloudWatchAgent config should be specified\n", "", 1),
        ),
        duration=(1.0, 60.0),
        # The content AWS publishes, as the agent's own test suite copies it
        # (test/ssm_document/resources/test_amazoncloudwatch_manageagent.json).
        source="https://github.com/aws/amazon-cloudwatch-agent-test/blob/main/test/ssm_document/"
        "resources/test_amazoncloudwatch_manageagent.json",
    ),
    Document(
        name="AWSSupport-RunEC2RescueForWindowsTool",
        schema_version="2.2",  # unverified
        platforms=(WINDOWS,),
        # unverified: one PowerShell step; its name is a choice.
        steps=(Step("runEC2RescueForWindows", "aws:runPowerShellScript"),),
        success_output=(
            "EC2Rescue for Windows Server collected logs to "
            "C:\\ProgramData\\Amazon\\EC2Rescue\\logs.zip\r\n",
        ),
        failures=(Failure("", "EC2Rescue for Windows Server failed: access denied"),),
        duration=(10.0, 600.0),
        source="https://docs.aws.amazon.com/AWSEC2/latest/WindowsGuide/ec2rw-ssm.html",
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
