"""Make the browser tests runnable: Debian's Chromium, and axe-core for the accessibility checks.

Run by ``make test`` before pytest; prints one line. As root on Debian it
installs the ``chromium`` package when it is missing (``--no-install-recommends``,
with one font so pages have text), keeping apt's output in a log file that it
names only when the install fails. axe-core comes with the test extras (the
``axe-playwright-python`` package ships its script). Elsewhere it says what is
missing, and the browser tests skip (or fail, under ``CI=true``, where they must run).
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


def install_chromium() -> bool:
    """``apt-get install`` Chromium quietly; the whole output goes to :data:`LOG`."""
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    with LOG.open("w", encoding="utf-8") as log:
        for command in (
            ["apt-get", "update"],
            ["apt-get", "install", "-y", "--no-install-recommends", *PACKAGES],
        ):
            log.write(f"$ {' '.join(command)}\n")
            log.flush()
            result = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, env=env, check=False)
            if result.returncode != 0:
                return False
    return find_chromium() is not None


def main() -> int:
    chromium = find_chromium()
    installed = ""
    if chromium is None and hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        started = time.monotonic()
        if install_chromium():
            chromium = find_chromium()
            installed = f" (installed in {time.monotonic() - started:.0f} s)"
        else:
            print(
                f"browser tests: installing chromium failed, see {LOG}; the browser tests will skip "
                "(or fail under CI=true)",
                file=sys.stderr,
            )
            return 0
    axe = axe_version()
    missing = []
    if chromium is None:
        missing.append("Chromium (Debian: `sudo apt-get install chromium`)")
    if axe is None:
        missing.append("axe-core (`pip install -e '.[test]'`)")
    if missing:
        print(
            f"browser tests: missing {' and '.join(missing)}; they will skip (or fail under CI=true)",
            file=sys.stderr,
        )
        return 0
    print(f"browser tests: {chromium}{installed}, axe-core {axe}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
