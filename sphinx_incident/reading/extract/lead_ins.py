"""Lead-ins: the text before a list that starts it on purpose.

A numbered list that starts again at 1 is a mistake when the author meant the
steps to go on, and a new procedure when a lead-in introduces it. Authors lead
in with a sentence ending in a colon, but also with one that announces what
follows without a colon, a short line standing as a heading, a sentence that
moves on to the next part ("Now, you need to add the users."), or prose that
offers another way to do it or says there are several.
"""

from __future__ import annotations

import re

from docutils import nodes

from ..doctree import INVISIBLE, plain_text
from ..imperative import is_imperative

#: prose that offers another way to do it: the list after it is that way's steps
_ALTERNATIVE = re.compile(
    r"^\W*(?:alternatively|otherwise|instead|as an alternative|or,|rather than\b)", re.I
)
#: the sentence right before a list says it is another way: "it is also possible to …"
_ANOTHER_WAY = re.compile(r"\balso possible to\b", re.I)
#: a sentence that announces what comes after it: "provide the following details"
_ANNOUNCES = re.compile(r"\b(?:the following|as follows)\b", re.I)
#: a sentence saying there is more than one way, the ways listed after it: "There are two
#: ways to reach the replica.", "You can do this in one of several ways."
_WAYS = re.compile(
    r"\b(?:two|three|four|several|multiple|many|various|different|a few|a number of|a couple of)"
    r"(?:\s+[\w-]+){0,2}?\s+(?:ways|options|methods|approaches|alternatives)\b",
    re.I,
)
#: a sentence that moves the reader on to the next part: "Now, you need to …", "After
#: adding the device, let's …"
_NEXT_PART = re.compile(
    r"^(?:now|next|then|finally|after\b[^,.]{0,80},|once\b[^,.]{0,80},)\W*"
    r"(?:you(?:['\u2019]ll| will| need to| must| should| can| have to)|let['\u2019]s|let us|"
    r"we(?:['\u2019]ll| will| need to| can)|it(?:['\u2019]s| is) time to)\b",
    re.I,
)
#: a sentence that says a part is done ("The copy is now ready."): an instruction after it
#: in the same paragraph starts the next part
_DONE_NOW = re.compile(r"\bnow\b", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
#: a sentence that closes one part and tells the reader to do the next: "After setting up
#: the server, mount the share on every host."
_AFTER_PART = re.compile(r"^(?:after|once)\b[^,.]{0,80},\s*(?P<rest>.+)$", re.I | re.S)
#: the most words a line standing as a heading has ("On the standby", "For KVM hosts")
_HEADING_WORDS = 8


#: what a note says when it leads in to the steps after it: "follow the steps below"
_STEPS_BELOW = re.compile(r"\b(?:(?:below|following)\s+steps|steps\s+below)\b", re.I)


#: raw HTML that starts a part of its own: a heading, or a box the author opens around what follows
_HTML_OPENS = re.compile(r"^\s*<(?:h[1-6]|aside|div|details|section)\b", re.I)


def opens_in_html(block: nodes.Node) -> bool:
    """Whether a block is raw HTML that starts a part of its own (``<h3>Known limits</h3>``,
    ``<aside class="note">``): a list after it is that part's, as after a heading."""
    return (
        isinstance(block, nodes.raw)
        and "html" in block.get("format", "").split()
        and bool(_HTML_OPENS.match(block.astext()))
    )


def announces_steps(block: nodes.Node) -> bool:
    """Whether a note announces the steps after it ("If you need it, follow the steps below")."""
    return isinstance(block, nodes.Admonition) and bool(_STEPS_BELOW.search(plain_text(block)))


def leads_in(before: list[nodes.Node]) -> bool:
    """Whether a list follows its own lead-in (``before``: the blocks between it and the list
    before it): a sentence ending in a colon ("Then:", "For each account:"), or in a
    semicolon typed for one, or announcing what follows ("… the following details, and
    click OK."), or moving on to the next part ("Now, you need to add the users.", in its
    first sentence or its last: :func:`_moves_on`), or
    saying there is more than one way ("There are two ways to do it."); a heading right
    before it, or a short line standing as one (no sentence's full stop: "On the standby
    host"); prose between the lists that offers another way ("Alternatively,
    …", "Rather than …, it is also possible to …"), or that closes one part and tells
    what to do next ("After setting up the server, mount the share."); or a rule across
    the page. A note between the lead-in and the list does not part them. A list there
    starts something new on purpose."""
    if any(isinstance(b, nodes.transition) for b in before):
        return True  # a rule across the page (``---``) between them: a part of its own follows
    before = [b for b in before if not isinstance(b, INVISIBLE)]
    if any(isinstance(b, nodes.paragraph) and _ALTERNATIVE.match(plain_text(b)) for b in before):
        return True
    if before and announces_steps(before[-1]):
        return True  # a note that announces the steps below it
    while len(before) > 1 and isinstance(before[-1], nodes.Admonition):
        before = before[:-1]  # a note between a lead-in and its list is the new part's
    block = before[-1] if before else None
    if isinstance(block, nodes.rubric | nodes.title):
        return True
    if not isinstance(block, nodes.paragraph | nodes.term):
        return False
    text = plain_text(block).strip()
    flat = " ".join(text.split())  # a sentence wrapped between two words ("the / following")
    if text.rstrip(" \t\n*_)").endswith((":", ";")) or _ANNOUNCES.search(flat):
        return True
    if _NEXT_PART.match(flat) or _WAYS.search(flat) or _ANOTHER_WAY.search(flat) or _moves_on(flat):
        return True
    after = _AFTER_PART.match(flat)
    if after is not None and is_imperative(after["rest"]):
        return True
    words = text.split()
    return "\n" not in text and 0 < len(words) <= _HEADING_WORDS and not text.endswith((".", "!", "?"))


def _moves_on(text: str) -> bool:
    """Whether a paragraph's last sentence moves on to the next part: it does so itself ("Now
    it is time to point the application at it."), or it is an instruction after a sentence
    saying a part is done now ("The copy is now ready. Bring the writers back online.")."""
    parts = sentences(text)
    if len(parts) < 2:
        return False
    done = any(_DONE_NOW.search(sentence) for sentence in parts[:-1])
    return bool(_NEXT_PART.match(parts[-1])) or (done and is_imperative(parts[-1]))


def sentences(text: str) -> list[str]:
    """The sentences of a text, split after each full stop, question or exclamation mark."""
    return [part for part in _SENTENCE_END.split(text.strip()) if part]
