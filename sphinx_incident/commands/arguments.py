"""Argument types the commands share: what argparse calls to read a value of the command line."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable


def number_in(what: str, low: float, high: float = math.inf, above: bool = False) -> Callable[[str], float]:
    """An argparse type: a finite number from ``low`` (or ``above`` it) up to ``high``; anything
    else is refused in one line saying what was wanted (``'0.2' is not <what>``)."""

    def read(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        inside = (value > low if above else value >= low) and value <= high
        if not math.isfinite(value) or not inside:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}")
        return value

    return read
