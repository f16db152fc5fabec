"""The pages' wording of what reaches them in Chinese from outside Django: the engine's method and
assumption labels (the pure-numpy engine cannot import Django), the Chinese sentences a run stores
(eligibility reasons, warnings, ties; runs.py has no Django either), condition values, and names from
the policy pack that may carry an English `name_en`.

Each Chinese string is marked here (gettext_noop) so that makemessages puts it in the app's catalogue;
the functions translate it with the request's language, so a Chinese request (and a .docx report
generated in one) still gets exactly the stored Chinese text."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import gettext, gettext_noop

from yuanqu.core.language import english
from yuanqu.core.pack import installed_pack
from yuanqu.registry.models import ParkType
from yuanqu.registry.pack import LAYOUT
from yuanqu.registry.park_types import park_type_names

# ── names from the pack ─────────────────────────────────────────────────────────────────────


# english() and localised() live in yuanqu.core.language; imported here for this module's own use.


# ── the engine's labels ─────────────────────────────────────────────────────────────────────

ENGINE_LABELS = (
    # engine.framework: normalisation methods
    gettext_noop("极差标准化"),
    gettext_noop("目标值法"),
    gettext_noop("Z 分数标准化"),
    gettext_noop("百分位排序"),
    gettext_noop("距目标距离法"),
    # engine.aggregate
    gettext_noop("加权算术平均"),
    gettext_noop("加权几何平均"),
    # engine.impute
    gettext_noop("同类型中位数填补"),
    gettext_noop("同类型均值填补"),
    gettext_noop("全体中位数填补"),
    gettext_noop("不填补（按可得指标重算权重）"),
    gettext_noop("上年值填补（无上年值时用同类型中位数）"),
    # engine.uncertainty: the assumptions of the sensitivity analysis
    gettext_noop("权重扰动"),
    gettext_noop("权重方案"),
    gettext_noop("标准化方法"),
    gettext_noop("聚合方法"),
    gettext_noop("缺失值处理"),
    # engine.sensitivity: the factors of the variance decomposition
    gettext_noop("极端值缩尾（开/关）"),
    gettext_noop("数据可得率门槛"),
    # engine.coherence: the correlation flags
    gettext_noop("高度共线（|r| > 0.9）"),
    gettext_noop("同一维度内负相关"),
    # alternative weight sets (templatetags)
    gettext_noop("熵权"),
    gettext_noop("CRITIC 权重"),
)


# The 亩均 grades of the installed pack (mujun.yaml) and the scope of the grading: fixed policy wording
# that the pages show, marked so that it can be shown in English (other packs' wording stays as given).
PACK_WORDING = (
    gettext_noop("A类（优先支持类）"),
    gettext_noop("B类（鼓励提升类）"),
    gettext_noop("C类（提升改造类）"),
    gettext_noop("D类（倒逼整治类）"),
    gettext_noop("T类（暂不评价）"),
    gettext_noop("用地、用能、用水、用气等要素优先保障"),
    gettext_noop("要素正常保障，鼓励提升"),
    gettext_noop("要素适当约束，限期提升改造"),
    gettext_noop("要素从严约束，倒逼整治"),
    gettext_noop("统计年度末持有有效“规上工业企业”称号的企业（按企业年度数据评价）"),
    gettext_noop("成立不满2年（以统计年度末计）"),
    gettext_noop("电力、热力、燃气及水生产和供应业（GB/T 4754-2017 大类 D44—D46）"),
)


def label(text: str) -> str:
    """A fixed Chinese label (engine, verdict, flag) in the request's language."""
    return gettext(text) if text else text


# ── condition values (runs.display_observed / display_expected) ─────────────────────────────

VALUE_WORDS = (
    gettext_noop("无数据"),
    gettext_noop("无"),
    gettext_noop("是"),
    gettext_noop("否"),
    gettext_noop("国家级"),
    gettext_noop("省级"),
    gettext_noop("已认定"),
    gettext_noop("创建中"),
    gettext_noop("人工核验"),
    # pack.COMPARISONS
    gettext_noop("大于"),
    gettext_noop("不低于"),
    gettext_noop("小于"),
    gettext_noop("不高于"),
    gettext_noop("等于"),
)
_COMPARISON_RE = re.compile(r"(大于|不低于|小于|不高于|等于) (.+)\Z", re.S)
_MISSING_POINTS_RE = re.compile(r"每缺一项 (\S+) 分\Z")


def observed(text: str) -> str:
    """An observed value as display_observed shows it: fixed words translated, numbers kept."""
    return gettext(text) if text in VALUE_WORDS else text


def expected(text: str) -> str:
    """A requirement as display_expected shows it ("不低于 10", "等于 国家级", "人工核验")."""
    if text in VALUE_WORDS:
        return gettext(text)
    match = _MISSING_POINTS_RE.match(text)
    if match:
        return gettext("每缺一项 %(points)s 分") % {"points": match.group(1)}
    match = _COMPARISON_RE.match(text)
    if match:
        return f"{gettext(match.group(1))} {observed(match.group(2))}"
    return text


# ── sentences a run stores ──────────────────────────────────────────────────────────────────

STORED_SENTENCES = (
    gettext_noop("数据可得率不足，未参评"),
    gettext_noop("园区尚未认定"),
    gettext_noop("没有该类型的园区"),
    gettext_noop("所有园区的数据可得率均低于门槛，未能评价"),
)


def _list(text: str) -> str:
    return text.replace("、", ", ").replace("；", "; ")


def _observations(text: str) -> str:
    """Entry conditions not met, each with what was observed (runs._eligibility)."""
    text = re.sub(r"（实际 ([^（）]+)）", lambda m: gettext("（实际 %(value)s）") % {"value": m.group(1)}, text)
    return _list(text.replace("（无数据）", gettext("（无数据）")))


def _tie(match: re.Match[str]) -> str:
    group, units, score, rule, places = match.groups()
    values = {"group": group, "units": _list(units), "score": score, "places": _list(places)}
    if rule == "次要指标得分":
        return gettext("%(group)s：%(units)s 得分相同（%(score)s），依次要指标得分排序为第 %(places)s 名") % values
    return (
        gettext(
            "%(group)s：%(units)s 得分相同（%(score)s），依次要指标得分相同或未设置，按单位编号排序为第 %(places)s 名"
        )
        % values
    )


_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (
        re.compile(r"一票否决：(.+)\Z", re.S),
        lambda m: gettext("一票否决：%(items)s") % {"items": _list(m.group(1))},
    ),
    (
        re.compile(r"未达门槛：(.+)\Z", re.S),
        lambda m: gettext("未达门槛：%(items)s") % {"items": _observations(m.group(1))},
    ),
    (
        re.compile(r"必达指标较上年下降：(.+)\Z", re.S),
        lambda m: gettext("必达指标较上年下降：%(items)s") % {"items": _list(m.group(1))},
    ),
    (
        re.compile(r"缺报指标 (\d+) 项，超过 (\d+) 项\Z"),
        lambda m: gettext("缺报指标 %(count)s 项，超过 %(limit)s 项") % {"count": m.group(1), "limit": m.group(2)},
    ),
    (
        re.compile(r"名额 (\d+) 个，具备入选资格的园区仅 (\d+) 个\Z"),
        lambda m: (
            gettext("名额 %(quota)s 个，具备入选资格的园区仅 %(count)s 个") % {"quota": m.group(1), "count": m.group(2)}
        ),
    ),
    (
        re.compile(r"数据可得率低于 (\S+)、未参评的园区：(.+)\Z", re.S),
        lambda m: (
            gettext("数据可得率低于 %(threshold)s、未参评的园区：%(parks)s")
            % {"threshold": m.group(1), "parks": _list(m.group(2))}
        ),
    ),
    (
        re.compile(
            r"(.+?)：(.+) 得分相同（([-\d.]+)），"
            r"依(次要指标得分|次要指标得分相同或未设置，按单位编号)排序为第 (.+) 名\Z",
            re.S,
        ),
        _tie,
    ),
    (
        re.compile(r"(\d+)年没有园区年度指标值（指标表为空或尚未计算），无法评价。请先导入.*\Z", re.S),
        lambda m: gettext(
            "{year}年没有园区年度指标值（指标表为空或尚未计算），无法评价。"
            "请先导入园区和企业数据，并运行“yuanqu compute”计算指标后再评价。"
        ).format(year=m.group(1)),
    ),
    (
        re.compile(r"没有可评价的园区：(.+)均无登记园区。\Z", re.S),
        lambda m: gettext("没有可评价的园区：{types}均无登记园区。").format(types=_type_list(m.group(1))),
    ),
    (
        re.compile(r"(.+)（成立于 (\S+)）\Z", re.S),
        lambda m: gettext("%(rule)s（成立于 %(date)s）") % {"rule": label(m.group(1)), "date": m.group(2)},
    ),
    (
        re.compile(r"(.+)（行业 (.+)）\Z", re.S),
        lambda m: gettext("%(rule)s（行业 %(industry)s）") % {"rule": label(m.group(1)), "industry": m.group(2)},
    ),
    (
        re.compile(
            r"(.+)在该类型参评园区中取值相同，CRITIC 备选权重已将其排除（权重为 0，不计入其他指标的冲突度）\Z", re.S
        ),
        lambda m: (
            gettext(
                "%(names)s在该类型参评园区中取值相同，CRITIC 备选权重已将其排除（权重为 0，不计入其他指标的冲突度）"
            )
            % {"names": _list(m.group(1))}
        ),
    ),
    (
        re.compile(r"缺少(\d+)年企业年度数据\Z"),
        lambda m: gettext("缺少%(year)s年企业年度数据") % {"year": m.group(1)},
    ),
)


def stored(text: str) -> str:
    """A sentence a run or a grading stored in Chinese, in the request's language. Texts from the
    pack inside it (condition texts, indicator names) stay as the pack gives them; a sentence of
    unknown form is returned unchanged."""
    if not english() or not text:
        return text
    if text in STORED_SENTENCES:
        return gettext(text)
    for pattern, render in _PATTERNS:
        match = pattern.match(text)
        if match:
            return render(match)
    parts = text.split("；")
    types = _stored_type_names()
    if any(part.partition("：")[0] in types for part in parts):
        # A run's message: its types' warnings, each after the type's name.
        return gettext("；").join(_typed(part, types) for part in parts)
    return text


def _stored_type_names() -> dict[str, str]:
    """The park types' Chinese names as a run's message gives them (the pack's, and 未分类), with
    their names in the page's language."""
    chinese = {str(ParkType.UNCLASSIFIED.label): ParkType.UNCLASSIFIED.value} | {
        item.name: item.code for item in installed_pack().section(LAYOUT).park_types
    }
    names = park_type_names()
    return {name: names.get(code, name) for name, code in chinese.items()}


def _type_list(text: str) -> str:
    """Park type names a run's message lists (services.NO_PARKS), each in the page's language."""
    types = _stored_type_names()
    return ", ".join(types.get(name, name) for name in text.split("、"))


def _typed(part: str, types: dict[str, str]) -> str:
    name, colon, rest = part.partition("：")
    if colon and name in types:
        return gettext("%(type)s：%(text)s") % {"type": types[name], "text": stored(rest)}
    return stored(part)


def indicator_name(code: str, name: str) -> str:
    """A catalogue indicator's name: its English catalogue name when the page is in English (runs
    store only the Chinese one), else `name` as stored."""
    if not english():
        return name
    from yuanqu.indicators import catalogue

    try:
        return catalogue.indicator(code).name_en or name
    except KeyError:
        return name


# ── units of the indicator catalogue ────────────────────────────────────────────────────────

UNITS = (
    gettext_noop("万元"),
    gettext_noop("亿元"),
    gettext_noop("万元/亩"),
    gettext_noop("万元/人"),
    gettext_noop("万元/吨标准煤"),
    gettext_noop("亩"),
    gettext_noop("人"),
    gettext_noop("吨标准煤"),
    gettext_noop("平方公里"),
    gettext_noop("个"),
    gettext_noop("家"),
    gettext_noop("%/年"),
)


def unit(text: str) -> str:
    """A catalogue unit as shown on the pages (the data keep the Chinese unit)."""
    return gettext(text) if text in UNITS else text
