"""Install Debian's Chromium for the browser tests when it is missing.

Run by ``make test`` before pytest. As root on Debian it installs the
``chromium`` package; elsewhere it says what to install, and the browser
tests skip (or fail, under ``CI=true``, where they must run).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

CANDIDATES = ("chromium", "chromium-browser", "google-chrome")


def find_chromium() -> str | None:
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def main() -> int:
    found = find_chromium()
    if found:
        print(f"browser tests: using {found}")
        return 0
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        print("browser tests: installing Debian's chromium package ...", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        result = subprocess.run(
            ["apt-get", "install", "-y", "-qq", "chromium", "fonts-dejavu-core"],
            check=False,
            env=env,
        )
        if result.returncode == 0 and find_chromium():
            print(f"browser tests: using {find_chromium()}")
            return 0
    print(
        "browser tests: no Chromium found; install it (Debian: `sudo apt-get install chromium`) "
        "or the browser tests are skipped",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
