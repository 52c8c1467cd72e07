"""The weight of each of discover's signals, fitted on hand-labelled lists of real handbooks.

Written by ``evaluation/fit_discover.py --write``; :mod:`.classify` reads the signals and
weighs them with these. Data, not code: kept apart so that a refit changes this file only.
"""

from __future__ import annotations

#: the weight of each signal (the log-odds it adds when fully present), and the bias; fitted by
#: ``evaluation/fit_discover.py`` on the tuning half of the evaluation and the project's corpus.
#: ``lead_one_of`` came later: its weight is the one a refit of all of them gave it, the others
#: kept, as that refit lost checklists that say what is done ("Roles assigned") on pages the
#: author calls a checklist. ``lead_purpose`` and ``lead_names`` came later still: their weights
#: were fitted on the tuning half with all the others kept
WEIGHTS: dict[str, float] = {
    "bias": -2.81,
    "instructions": 3.53,
    "ticks": 2.15,
    "states": 0.73,
    "titled": -0.40,
    "definitions": -2.01,
    "links": -2.29,
    "opens_with_link": -0.89,
    "values": -1.59,
    "settings": -1.50,
    "people_dates": -1.21,
    "times": -1.52,
    "questions": -0.33,
    "versions": -1.51,
    "descriptive": 0.16,
    "we_you": 0.40,
    "short": -0.16,
    "long": 0.52,
    "code": 1.13,
    "sublists": 0.81,
    "roles": 0.40,
    "single": 0.12,
    "numbered": 1.34,
    "heading_instruction": 0.81,
    "heading_version": -1.59,
    "advice": -1.23,
    "alternatives": -1.85,
    "labels": 0.63,
    "lead_needs": 0.83,
    "lead_can": -0.07,
    "lead_either": -0.50,
    "lead_choices": -2.19,
    "lead_one_of": -1.95,
    "lead_purpose": 1.02,
    "lead_names": -1.25,
    "says_steps": 0.71,
    "says_ready": 2.07,
    "says_links": -0.60,
    "says_facts": -0.70,
    "says_options": -1.07,
    "says_tips": -1.46,
    "says_minutes": -0.68,
    "says_retro": -1.15,
    "says_timeline": -1.50,
    "says_glossary": -1.18,
    "says_changelog": -0.89,
    "says_duties": -0.61,
    "says_ranked": -0.62,
    "page_report": -1.18,
    "outer_follow_ups": -3.53,
    "page_procedures": 0.38,
    "code_around": 0.91,
    "page_steps": 0.92,
    "page_checklist": 1.22,
    "page_instruction": 0.20,
    "page_changelog": -2.05,
}
