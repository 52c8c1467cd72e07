"""``make test``'s browser setup: one line of output, apt's log kept and named only on failure;
Chromium and Node.js installed when missing, in one ``apt-get install``.

A stand-in ``apt-get`` on ``PATH`` plays Debian's, so the install path runs
without touching the machine.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

import browser_setup
import pytest

FAKE_APT = """#!/bin/sh
echo "apt-get $*"
echo "Reading package lists... (pages of output)"
if [ "$1" = install ]; then
  {action}
fi
exit 0
"""


def _fake_apt(folder: Path, action: str) -> None:
    script = folder / "apt-get"
    script.write_text(FAKE_APT.format(action=action), "utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


@pytest.fixture
def machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A root shell whose PATH has no Chromium and no Node.js, only the stand-in apt-get."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setattr(os, "geteuid", lambda: 0, raising=False)
    monkeypatch.setattr(browser_setup, "LOG", tmp_path / "setup.log")
    return bin_dir


def _fake_tool(path: Path, output: str = "") -> None:
    path.write_text(f"#!/bin/sh\necho '{output}'\n" if output else "#!/bin/sh\n", "utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


def test_missing_chromium_and_node_are_installed_with_one_line_of_output(machine: Path, capsys: Any) -> None:
    chromium, node = machine / "chromium", machine / "node"
    _fake_apt(
        machine,
        f"printf '#!/bin/sh\\n' > {chromium}; /bin/chmod +x {chromium}; "
        f"printf '#!/bin/sh\\necho v18.20.4\\n' > {node}; /bin/chmod +x {node}; "
        "echo 'Setting up chromium'; echo 'Setting up nodejs'",
    )
    assert browser_setup.main() == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert len(out.splitlines()) == 1
    assert out.startswith(f"browser tests: {chromium}, axe-core ")
    installed = r" \(installed chromium fonts-dejavu-core nodejs in \d+ s\)\n$"
    assert re.search(re.escape(f"; JavaScript unit tests: {node} v18.20.4") + installed, out), out
    log = browser_setup.LOG.read_text("utf-8")
    assert "apt-get install -y --no-install-recommends chromium fonts-dejavu-core nodejs" in log
    assert "Setting up chromium" in log and "Setting up" not in out


def test_only_what_is_missing_is_installed(machine: Path, capsys: Any) -> None:
    _fake_tool(machine / "chromium")
    node = machine / "node"
    _fake_apt(machine, f"printf '#!/bin/sh\\n' > {node}; /bin/chmod +x {node}")
    assert browser_setup.main() == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert re.search(re.escape(f"unit tests: {node}") + r" \(installed nodejs in \d+ s\)\n$", out), out
    assert "apt-get install -y --no-install-recommends nodejs\n" in browser_setup.LOG.read_text("utf-8")


def test_without_root_it_says_what_is_missing(
    machine: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 1000, raising=False)
    _fake_tool(machine / "chromium")
    _fake_apt(machine, "exit 100")
    assert browser_setup.main() == 0
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1
    assert "missing Node.js (Debian: `sudo apt-get install nodejs`)" in err and "Chromium" not in err
    assert not browser_setup.LOG.exists()


def test_a_failed_install_names_its_log(machine: Path, capsys: Any) -> None:
    _fake_apt(machine, "echo 'E: Unable to locate package chromium'; exit 100")
    assert browser_setup.main() == 0  # the browser tests then skip, or fail under CI=true
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1 and str(browser_setup.LOG) in err
    assert "installing chromium fonts-dejavu-core nodejs failed" in err
    assert "E: Unable to locate package chromium" in browser_setup.LOG.read_text("utf-8")


def test_axe_core_comes_with_the_test_extras() -> None:
    path = browser_setup.axe_script_path()
    assert path is not None and path.is_file()
    assert browser_setup.axe_version() is not None
