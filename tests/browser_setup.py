"""Make the browser tests runnable: Debian's Chromium, axe-core for the accessibility
checks, and Node.js for the unit tests of the page's JavaScript.

Run by ``make test`` before pytest; prints one line. As root on Debian it
installs what is missing in one ``apt-get install`` (``--no-install-recommends``):
the ``chromium`` package, with one font so pages have text, and the ``nodejs``
package, keeping apt's output in a log file that it names only when the install
fails. axe-core comes with the test extras (the ``axe-playwright-python`` package
ships its script). Elsewhere it says what is missing, and the tests that need it
skip (or fail, under ``CI=true``, where they must run).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
PACKAGES = ("chromium", "fonts-dejavu-core")
NODE_CANDIDATES = ("node", "nodejs")
NODE_PACKAGES = ("nodejs",)
LOG = Path(tempfile.gettempdir()) / "sphinx-incident-browser-setup.log"


def find_chromium() -> str | None:
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def axe_script_path() -> Path | None:
    """axe-core's browser script, as the ``axe-playwright-python`` package ships it."""
    try:
        path = Path(str(resources.files("axe_playwright_python") / "axe.min.js"))
    except ModuleNotFoundError:
        return None
    return path if path.is_file() else None


def axe_version() -> str | None:
    path = axe_script_path()
    if path is None:
        return None
    with path.open(encoding="utf-8") as script:
        match = re.search(r"axe v(\d+\.\d+\.\d+)", script.read(200))
    return match.group(1) if match else "unknown version"


def find_node() -> str | None:
    for name in NODE_CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def node_version(node: str) -> str:
    """`` v20.19.2``, or nothing when ``node --version`` does not say."""
    try:
        result = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    version = result.stdout.strip()
    return f" {version}" if re.fullmatch(r"v\d+\.\d+\.\d+", version) else ""


def install(packages: list[str]) -> bool:
    """``apt-get install`` ``packages`` quietly; the whole output goes to :data:`LOG`."""
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    with LOG.open("w", encoding="utf-8") as log:
        for command in (
            ["apt-get", "update"],
            ["apt-get", "install", "-y", "--no-install-recommends", *packages],
        ):
            log.write(f"$ {' '.join(command)}\n")
            log.flush()
            result = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, env=env, check=False)
            if result.returncode != 0:
                return False
    return True


def can_install() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get") is not None


def main() -> int:
    chromium, node = find_chromium(), find_node()
    wanted = [*(() if chromium else PACKAGES), *(() if node else NODE_PACKAGES)]
    installed = ""
    if wanted and can_install():
        started = time.monotonic()
        if not install(wanted):
            print(
                f"browser tests: installing {' '.join(wanted)} failed, see {LOG}; the tests that need "
                "them will skip (or fail under CI=true)",
                file=sys.stderr,
            )
            return 0
        chromium, node = find_chromium(), find_node()
        installed = f" (installed {' '.join(wanted)} in {time.monotonic() - started:.0f} s)"
    axe = axe_version()
    missing = []
    if chromium is None:
        missing.append("Chromium (Debian: `sudo apt-get install chromium`)")
    if axe is None:
        missing.append("axe-core (`pip install -e '.[test]'`)")
    if node is None:
        missing.append("Node.js (Debian: `sudo apt-get install nodejs`)")
    if missing:
        print(
            f"browser tests: missing {' and '.join(missing)}; the tests that need them will skip "
            "(or fail under CI=true)",
            file=sys.stderr,
        )
        return 0
    if chromium is None or node is None:  # said above; this tells mypy
        return 0
    node_text = f"{node}{node_version(node)}"
    print(f"browser tests: {chromium}, axe-core {axe}; JavaScript unit tests: {node_text}{installed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
