"""Matching openings and profiles both ways: Chinese text segmented with jieba (with a domain
dictionary of the chain nodes and the skills vocabulary), skill tags, the hard constraints
(education, place, salary) and a score out of 100 with its explanation in Chinese
("技能匹配：PLC、机器视觉；学历满足；薪资区间重叠").

The score: skills 70 (the share of what the opening asks — its tags and the domain terms of its
text — that the person has, in tags or text), other words in common 10, experience 20 (full when the
person has the years asked, in proportion below). A failed hard constraint makes the pair no match,
whatever the score; the explanation then says which one.

Pure Python and jieba, no Django: `queries` builds the `Facts` from the models and the pack."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import jieba  # type: ignore[import-untyped]  # ships no type information

# Reasons. Tests assert on these.
SKILLS_MATCHED = "技能匹配：{skills}"
SKILLS_NONE = "技能无交集"
EDUCATION_MET = "学历满足"
EDUCATION_NOT_MET = "学历不满足（要求{required}及以上）"
PLACE_REMOTE = "候鸟式岗位，不限地点"
PLACE_ANY = "不限园区"
PLACE_MET = "工作地点在意向园区"
PLACE_NOT_MET = "工作地点不在意向园区"
SALARY_OPEN = "期望薪资面议"
SALARY_MET = "薪资区间重叠"
SALARY_NOT_MET = "薪资区间不重叠"
EXPERIENCE_MET = "工作年限满足"
EXPERIENCE_SHORT = "工作年限{has}年，要求{needs}年"

SKILL_POINTS = 70
WORD_POINTS = 10
EXPERIENCE_POINTS = 20

_SPLIT = re.compile(r"[、，,；;/与和及（）()\s]+")
_WORD = re.compile(r"^[\w\u4e00-\u9fff+#.]+$")
# Words too common in openings and profiles to say anything about a match.
STOPWORDS = frozenset(
    {
        "负责",
        "熟悉",
        "熟练",
        "掌握",
        "具有",
        "具备",
        "相关",
        "经验",
        "工作",
        "能力",
        "以上",
        "优先",
        "要求",
        "岗位",
        "能够",
        "进行",
        "使用",
        "以及",
        "公司",
        "企业",
        "我们",
        "年",
        "有",
        "的",
        "和",
        "与",
        "及",
        "或",
        "等",
        "了",
        "在",
        "是",
        "我",
        "会",
        "能",
        "对",
        "并",
    }
)


@dataclass(frozen=True, slots=True)
class Facts:
    """One side of a pair. For an opening: what it asks (`education`, `experience_years`) and offers
    (salary band, `places`: its park, `remote` when 候鸟式); for a profile: what the person has and
    wants (`places`: the parks they would work in, none meaning any)."""

    text: str
    tags: frozenset[str]
    education_rank: int  # -1: none given
    education_name: str
    experience_years: int
    salary_min: int
    salary_max: int
    places: frozenset[int]
    remote: bool = False


@dataclass(frozen=True, slots=True)
class Match:
    passed: bool
    score: int
    skills: tuple[str, ...]
    reasons: tuple[str, ...]

    @property
    def explanation(self) -> str:
        return "；".join(self.reasons)


def domain_words(names: Iterable[str], tags: Iterable[str]) -> tuple[str, ...]:
    """The segmentation's dictionary: each skill tag, each chain and node name and its parts
    ("光芯片、光器件与光模块" gives 光芯片, 光器件, 光模块)."""
    words: dict[str, None] = {}
    for tag in tags:
        words[tag] = None
    for name in names:
        words[name] = None
        for part in _SPLIT.split(name):
            if len(part) >= 2:
                words[part] = None
    return tuple(words)


@functools.cache
def _tokenizer(words: tuple[str, ...]) -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    for word in words:
        tokenizer.add_word(word, freq=200000)
    return tokenizer


class Segmenter:
    """Cuts Chinese text into the words a match compares; `terms` are the words of the domain
    dictionary (compared without regard to case)."""

    def __init__(self, words: Sequence[str]) -> None:
        self.words = tuple(words)
        self.terms = frozenset(word.lower() for word in self.words)

    def cut(self, text: str) -> frozenset[str]:
        if not text:
            return frozenset()
        tokens = _tokenizer(self.words).lcut(text, HMM=False)
        result = set()
        for token in tokens:
            word = token.strip().lower()
            if not word or word in STOPWORDS or not _WORD.match(word) or word.isdigit():
                continue
            if len(word) >= 2 or word in self.terms:
                result.add(word)
        return frozenset(result)


def match(opening: Facts, profile: Facts, segmenter: Segmenter) -> Match:
    """The pair's verdict, score and reasons (skills first, then the hard constraints)."""
    reasons: list[str] = []
    passed = True

    # Skills: what the opening asks (tags, domain terms of its text) against what the person has.
    opening_words = segmenter.cut(opening.text)
    profile_words = segmenter.cut(profile.text) | {tag.lower() for tag in profile.tags}
    wanted = {tag.lower(): tag for tag in opening.tags}
    for word in opening_words & segmenter.terms:
        wanted.setdefault(word, word)
    matched = sorted(shown for key, shown in wanted.items() if key in profile_words)
    skill_points = SKILL_POINTS * len(matched) / len(wanted) if wanted else 0.0
    others = (opening_words - segmenter.terms) | set()
    common = others & profile_words
    word_points = WORD_POINTS * len(common) / len(others) if others else 0.0
    reasons.append(SKILLS_MATCHED.format(skills="、".join(matched)) if matched else SKILLS_NONE)

    # Education.
    if opening.education_rank >= 0 and profile.education_rank < opening.education_rank:
        passed = False
        reasons.append(EDUCATION_NOT_MET.format(required=opening.education_name))
    else:
        reasons.append(EDUCATION_MET)

    # Place.
    if opening.remote:
        reasons.append(PLACE_REMOTE)
    elif not profile.places:
        reasons.append(PLACE_ANY)
    elif opening.places & profile.places:
        reasons.append(PLACE_MET)
    else:
        passed = False
        reasons.append(PLACE_NOT_MET)

    # Salary: the bands overlap (a person who gives no band takes any).
    if profile.salary_max == 0:
        reasons.append(SALARY_OPEN)
    elif profile.salary_min <= opening.salary_max and opening.salary_min <= profile.salary_max:
        reasons.append(SALARY_MET)
    else:
        passed = False
        reasons.append(SALARY_NOT_MET)

    # Experience: part of the score, not a constraint.
    if profile.experience_years >= opening.experience_years:
        experience_points = float(EXPERIENCE_POINTS)
        if opening.experience_years:
            reasons.append(EXPERIENCE_MET)
    else:
        experience_points = EXPERIENCE_POINTS * profile.experience_years / opening.experience_years
        reasons.append(EXPERIENCE_SHORT.format(has=profile.experience_years, needs=opening.experience_years))

    score = round(skill_points + word_points + experience_points)
    return Match(passed, score, tuple(matched), tuple(reasons))
