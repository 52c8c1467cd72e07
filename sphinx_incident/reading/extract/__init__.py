"""Extraction: a docutils doctree (before references are resolved) -> the checklist model.

This package is pure: it reads nodes (and, when given, the source lines they
came from) and returns model objects. It knows the node shapes that
MyST-Parser, docutils' rST parser, Sphinx and sphinx-design produce, so both
source formats give the same model. What becomes a step:

- **Scope.** A runbook declared on a section is that section's own content;
  its subsections are not its steps (one may be a runbook of its own). A
  ``runbook`` directive holds everything inside it. A section with no list of
  its own has its subsections as steps (``### 1. Drain the node``).
- **Which list.** Its numbered lists (one procedure, even when prose
  interrupts them); else its bulleted list; else the list inside an
  admonition, dropdown, tab or card in it (whose title is kept).
- **Titles** are what a reader sees first: the bold text a step opens with,
  after a label target, an emoji or check mark, or a short lead-in line —
  or the italic text, where the runbook's steps consistently use it. A
  lead-in naming who does the step (``Who: <role>``, ``Owner: <role>``, a
  ``{role}`` alone) is the step's owner.
- **Nothing is dropped**, and the author's indentation is read from the
  source: a body that fell out of its step is kept with it, a sub-list
  indented too little is put under its step, and each such mistake is
  recorded with the fix (``runbook.defects``) for the checks to report.

The modules, in the order a runbook is read: :mod:`.runbook` (the entry
point), :mod:`.blocks` (what a runbook holds), :mod:`.walk` (its blocks in
order), :mod:`.steps` (list items, stray paragraphs, subsections),
:mod:`.openings` (titles, lead-ins, owners), :mod:`.splitting` (steps hidden in
a paragraph), :mod:`.references` (what a step links to), :mod:`.defects`
(list mistakes read from the source) and :mod:`.finish` (titles, texts, ids);
:mod:`.context` is the state they share.
"""

from __future__ import annotations

from .runbook import extract_runbook

__all__ = ["extract_runbook"]
