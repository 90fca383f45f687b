"""The language reviewers use to praise, suggest or criticise practice.

Each cue is a pattern over the passage text that becomes one 0/1 feature of the
classifier. The classifier learns how much each cue counts; the patterns carry
what an embedding of a whole sentence blurs, above all negation ("there was no
evidence of good practice") and the conditional of "it would have been good
practice to…", which reviewers use for practice they recommend."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

_MONTHS = ("January|February|March|April|May|June|July|August|September|October|"
           "November|December")
_GOOD = r"(?:good|best|effective|positive|excellent|expected|strong|notable|safe|sound)"


@dataclass(frozen=True)
class Cue:
    name: str
    pattern: re.Pattern[str]
    meaning: str


def _cue(name: str, pattern: str, meaning: str) -> Cue:
    return Cue(name, re.compile(pattern, re.IGNORECASE), meaning)


CUES: tuple[Cue, ...] = (
    _cue("praise_phrase", rf"\b{_GOOD}(?: safeguarding| multi-agency)? practice\b",
         "names good, best or effective practice"),
    _cue("commend", r"\b(?:commend\w*|prais\w*|credit|to be recognised|should be recognised|"
                    r"valued|above and beyond|example of good)\b",
         "commends or praises"),
    _cue("suggested", rf"\bwould (?:have )?(?:been|be|represent(?:ed)?) (?:{_GOOD}|beneficial|"
                      rf"helpful)\b|\b{_GOOD} practice (?:would|is to|in (?:these|such))",
         "what would have been good practice"),
    _cue("good_practice_absent",
         rf"\b(?:no|little|any|none|not|without|lack of|absence of|could not identify)\b"
         rf"[^.;]{{0,50}}\b{_GOOD} practice\b|\b(?:not|never) {_GOOD} practice\b|found none",
         "good practice named as missing"),
    _cue("missed", r"\bmissed opportunit|\bopportunit\w* (?:\w+ ){0,4}(?:was|were) missed|"
                   r"\bwas not (?:brought|seen|shared|followed)",
         "missed opportunities"),
    _cue("negated_action",
         r"\b(?:did not|was not|were not|had not|has not|have not|not been|failed to|"
         r"failure to|no evidence|no record|no one|none of|lack of|lacked|absence of|"
         r"absent|unclear|unaware|without)\b",
         "something not done"),
    _cue("shortfall", r"\b(?:poor|inconsistent\w*|limited|insufficient|inadequate\w*|delay\w*|"
                      r"too often|too variable|variable|confusion|drift|silos?|weak|gaps?)\b",
         "a shortfall"),
    _cue("improve", r"\b(?:needs? to (?:improve|be)|areas? for (?:improvement|development)|"
                    r"improvement is required|requires? (?:strengthening|improvement)|"
                    r"should (?:ensure|consider|review|be|have)|must|it is recommended|"
                    r"recommendation \d|recommend\w*)\b",
         "what needs to improve or a recommendation"),
    # A day's date anywhere ("on 11 December 2024", "12/03/2024"), or any
    # date opening the passage: events as a chronology records them. Not a
    # month alone inside a sentence: praise dates its practice too ("The
    # assessment in June 2024 was thorough").
    _cue("dated", rf"\b\d{{1,2}}(?:st|nd|rd|th)? (?:{_MONTHS})\b|"
                  rf"\b(?:{_MONTHS}) \d{{1,2}}(?:st|nd|rd|th)?\b(?!\d)|"
                  r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\bon \d{1,2}(?:st|nd|rd|th)?\b|"
                  rf"^(?:(?:on|in|by|during|between|from|early|late|mid)[ -]+)?(?:{_MONTHS})\b",
         "a day's date, or a passage opening on a date, as in a chronology"),
    _cue("persistence", r"\b(?:persist\w*|perseve\w*|tenaci\w*|kept (?:on )?\w+ing|"
                        r"continued to \w+|(?:multiple|repeated|several|further) attempts|"
                        r"did not give up|refus\w* to close|returned (?:weekly|daily|again)|"
                        # Practice told through what was done: "they came back
                        # the next day, tried different times", "telephoned
                        # every month ... left messages and called at the house".
                        r"came back|went back|called back|tried (?:again|different|other)|"
                        r"every (?:day|week|month|fortnight)|left messages?|"
                        r"did not accept (?:the|this|that) (?:closure|decision))\b",
         "kept going"),
    _cue("timely", r"\b(?:timely|prompt\w*|swift\w*|same day|without delay|immediately|"
                   r"within (?:\d+|the|timescales?|24))\b",
         "done in good time"),
    _cue("quality", r"\b(?:thorough\w*|robust\w*|high (?:quality|standard)|clear(?:ly)?|"
                    r"detailed|well attended|proactive\w*|sensitive\w*|good|excellent|"
                    r"effective\w*|positive\w*|consistent\w*|appropriate\w*)\b",
         "an evaluative word for quality"),
    _cue("hindsight", r"\b(?:hindsight|could have|might have|may have|should have|"
                      r"would have (?:made|led|changed|been (?:different|likely)))\b",
         "counterfactual criticism"),
)

CUE_NAMES: tuple[str, ...] = tuple(c.name for c in CUES)


def cue_vector(text: str) -> npt.NDArray[np.float32]:
    """One 0/1 feature per cue, in CUES order."""
    return np.array([1.0 if c.pattern.search(text) else 0.0 for c in CUES], dtype=np.float32)


def cue_matrix(texts: list[str] | tuple[str, ...]) -> npt.NDArray[np.float32]:
    if not texts:
        return np.zeros((0, len(CUES)), dtype=np.float32)
    return np.stack([cue_vector(t) for t in texts])


def explain(text: str) -> list[str]:
    """Names of the cues a passage shows: for people checking a suggestion."""
    return [c.name for c in CUES if c.pattern.search(text)]
