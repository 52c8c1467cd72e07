"""Step numbers: how a list shows an item's number, and what number a step's label stands for.

A step keeps its number as its list shows it (``"3"``, ``"c"``, ``"iv"``) and
how the list numbers its items (``Step.enumtype``, docutils' names); the
extraction writes numbers this way and the checks read them back. Roman
numerals are the ``roman-numerals`` package's, as Sphinx's own.
"""

from __future__ import annotations

from roman_numerals import InvalidRomanNumeralError, RomanNumeral

from . import Step

ROMAN = ("lowerroman", "upperroman")
ALPHA = ("loweralpha", "upperalpha")
#: the numbers roman numerals are written for
_ROMAN_RANGE = range(1, 4000)


def format_number(value: int, enumtype: str) -> str:
    """Display an item number the way docutils' enumerated list types do."""
    if enumtype in ALPHA and 1 <= value <= 26:
        letter = chr(ord("a") + value - 1)
        return letter if enumtype == "loweralpha" else letter.upper()
    if enumtype in ROMAN and value in _ROMAN_RANGE:
        numeral = RomanNumeral(value)
        return numeral.to_lowercase() if enumtype == "lowerroman" else numeral.to_uppercase()
    return str(value)


def roman_value(text: str) -> int | None:
    """The number a roman numeral stands for (``iv`` is 4), or ``None`` when it is not one."""
    try:
        return int(RomanNumeral.from_string(text))
    except InvalidRomanNumeralError:
        return None


def arabic_value(number: str | None) -> int | None:
    """The number written in digits, or ``None`` (a bullet, a letter, a roman numeral)."""
    return int(number) if number is not None and number.isdigit() else None


def number_value(step: Step) -> int | None:
    """A step's number as a count, read as its list numbers it (``iv`` is 4, ``d`` is 4)."""
    number = step.number
    if number is None:
        return None
    if number.isdigit():
        return int(number)
    if step.enumtype in ROMAN:
        return roman_value(number)
    if len(number) == 1 and number.isalpha():
        return ord(number.lower()) - ord("a") + 1
    return None


#: :attr:`Step.suffix` of a step whose number is typed with a backslash before its dot
#: (``1\.``, ``**2\.**``): a numbered paragraph the author kept from being a list item
ESCAPED_SUFFIX = "\\."
#: :attr:`Step.suffix` of a Markdown step numbered in brackets (``(1)``), which is no list
#: marker there: hand-numbered paragraphs, written so on purpose
BRACKETED_SUFFIX = "()"
