"""The index system as the engine sees it: a tree of groups (dimensions) over indicators.

Each indicator carries its direction, normalisation method, optional goalposts and its weight
within its parent group; each group carries its children and its weight within its own parent.
Building a ``Framework`` validates the whole tree, so every other step can trust it: the
evaluation app builds one per park type from the policy pack, and refusals surface to the pack
editor as the Chinese message of ``FrameworkError``.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np

from yuanqu.evaluation.engine._arrays import FloatArray, IntArray

NormalisationMethod = Literal["minmax", "goalposts", "zscore", "percentile", "distance_to_target"]
NORMALISATION_METHODS: tuple[NormalisationMethod, ...] = (
    "minmax",
    "goalposts",
    "zscore",
    "percentile",
    "distance_to_target",
)
# Weights come from a policy pack typed by people (0.3 + 0.3 + 0.4): exact float equality would
# refuse sound packs, a looser bound would let a typo through.
WEIGHT_SUM_TOLERANCE = 1e-6


class FrameworkError(ValueError):
    """The index system cannot be evaluated; the message is Chinese and names the culprit."""


@dataclass(frozen=True)
class Indicator:
    """One indicator column.

    ``target`` is the goal (the policy's 2027 value, say); ``floor`` is the other goalpost, the
    value that scores 0 in goalpost normalisation. For a lower-is-better indicator (direction
    -1) the target lies below the floor.
    """

    code: str
    weight: float
    name: str = ""
    direction: int = 1
    normalisation: NormalisationMethod = "minmax"
    target: float | None = None
    floor: float | None = None
    # Second-stage transformation when the indicator stays skewed after winsorising: "log" or "boxcox".
    transform: str | None = None

    @property
    def label(self) -> str:
        return self.name or self.code


@dataclass(frozen=True)
class Group:
    """A dimension: its children are indicator or group codes; ``weight`` is within its parent."""

    code: str
    children: tuple[str, ...]
    weight: float = 1.0
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or self.code


Node = Indicator | Group


@dataclass(frozen=True)
class Framework:
    """A validated tree. Node order: indicators as given, then groups as given.

    The root is the one group nobody lists as a child; its own weight is ignored.
    """

    indicators: tuple[Indicator, ...]
    groups: tuple[Group, ...]
    _nodes: dict[str, Node] = field(init=False, repr=False, compare=False, hash=False)
    _parent: dict[str, str] = field(init=False, repr=False, compare=False, hash=False)
    _root: str = field(init=False, repr=False, compare=False, hash=False)
    _bottom_up: tuple[str, ...] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        nodes: dict[str, Node] = {}
        every_node: tuple[Node, ...] = (*self.indicators, *self.groups)
        for node in every_node:
            if not node.code:
                raise FrameworkError("指标或指标组的编码不能为空")
            if node.code in nodes:
                raise FrameworkError(f"编码“{node.code}”重复出现")
            nodes[node.code] = node
        for indicator in self.indicators:
            _check_indicator(indicator)
        parent = _check_children(self.groups, nodes)
        for indicator in self.indicators:
            if indicator.code not in parent:
                raise FrameworkError(f"指标“{indicator.label}”未归入任何指标组")
        roots = [group for group in self.groups if group.code not in parent]
        if len(roots) != 1:
            found = "、".join(f"“{group.label}”" for group in roots) or "无"
            raise FrameworkError(f"指标体系应有且只有一个顶层指标组，实际为：{found}")
        root = roots[0].code
        bottom_up = _post_order(root, nodes)
        unreachable = [group.label for group in self.groups if group.code not in bottom_up]
        if unreachable:
            raise FrameworkError(f"指标组“{unreachable[0]}”形成循环引用，不在以“{roots[0].label}”为根的树中")
        for group in self.groups:
            if group.code != root:
                _check_weight(group.weight, "指标组", group.label)
        for group in self.groups:
            total = math.fsum(nodes[child].weight for child in group.children)
            if abs(total - 1.0) > WEIGHT_SUM_TOLERANCE:
                raise FrameworkError(f"指标组“{group.label}”的权重之和为 {total:.6g}，应为 1")
        object.__setattr__(self, "_nodes", nodes)
        object.__setattr__(self, "_parent", parent)
        object.__setattr__(self, "_root", root)
        object.__setattr__(self, "_bottom_up", bottom_up)

    @property
    def root(self) -> str:
        return self._root

    def without(self, codes: Collection[str]) -> Framework:
        """The framework with these indicators left out. A group left with no child goes too; in
        each group the remaining children share its weight in their former proportions (as the
        aggregation does for a unit's missing value)."""
        dropped = set(codes)
        while True:
            emptied = {
                group.code
                for group in self.groups
                if group.code != self._root
                and group.code not in dropped
                and all(child in dropped for child in group.children)
            }
            if not emptied:
                break
            dropped |= emptied
        root = self._nodes[self._root]
        if isinstance(root, Group) and all(child in dropped for child in root.children):
            raise FrameworkError("指标体系的指标全部被排除，无法评价")
        weight: dict[str, float] = {}
        for group in self.groups:
            kept = [child for child in group.children if child not in dropped]
            total = math.fsum(self._nodes[child].weight for child in kept)
            for child in kept:
                weight[child] = self._nodes[child].weight / total if total > 0 else 1.0 / len(kept)
        return Framework(
            indicators=tuple(
                replace(indicator, weight=weight[indicator.code])
                for indicator in self.indicators
                if indicator.code not in dropped
            ),
            groups=tuple(
                replace(
                    group,
                    weight=weight.get(group.code, group.weight),
                    children=tuple(child for child in group.children if child not in dropped),
                )
                for group in self.groups
                if group.code not in dropped
            ),
        )

    @property
    def indicator_codes(self) -> tuple[str, ...]:
        return tuple(indicator.code for indicator in self.indicators)

    @property
    def node_codes(self) -> tuple[str, ...]:
        """Indicators then groups: the order of every per-node weight vector in the engine."""
        return (*self.indicator_codes, *(group.code for group in self.groups))

    @property
    def groups_bottom_up(self) -> tuple[str, ...]:
        """Group codes with every group after all of its descendant groups; the root is last."""
        return self._bottom_up

    def node(self, code: str) -> Node:
        try:
            return self._nodes[code]
        except KeyError:
            raise FrameworkError(f"指标体系中没有编码为“{code}”的指标或指标组") from None

    def group(self, code: str) -> Group:
        node = self.node(code)
        if not isinstance(node, Group):
            raise FrameworkError(f"“{node.label}”是指标，不是指标组")
        return node

    def is_indicator(self, code: str) -> bool:
        return isinstance(self.node(code), Indicator)

    def parent(self, code: str) -> str | None:
        self.node(code)
        return self._parent.get(code)

    def level(self, code: str) -> int:
        """COINr's convention: indicators are level 1, a group is one above its highest child."""
        node = self.node(code)
        if isinstance(node, Indicator):
            return 1
        return 1 + max(self.level(child) for child in node.children)

    def indicators_under(self, code: str) -> tuple[str, ...]:
        """The indicators of a group and of its subgroups, in framework order."""
        found: set[str] = set()
        stack = [code]
        while stack:
            node = self.node(stack.pop())
            if isinstance(node, Indicator):
                found.add(node.code)
            else:
                stack.extend(node.children)
        return tuple(item for item in self.indicator_codes if item in found)

    def directions(self) -> FloatArray:
        return np.array([indicator.direction for indicator in self.indicators], dtype=np.float64)

    def weights(self) -> dict[str, float]:
        """The nominal (policy) weight of every node within its parent; the root's is 1."""
        return {code: (1.0 if code == self.root else self.node(code).weight) for code in self.node_codes}

    def node_weight_vector(self, weights: Mapping[str, float] | None = None) -> FloatArray:
        """Per-node weights in ``node_codes`` order; ``weights`` overrides some of them."""
        merged = self.weights()
        if weights is not None:
            for code, value in weights.items():
                self.node(code)
                merged[code] = float(value)
        merged[self.root] = 1.0
        return np.array([merged[code] for code in self.node_codes], dtype=np.float64)

    def with_weights(self, weights: Mapping[str, float]) -> Framework:
        """The same tree with some weights replaced (AHP or entropy results, say), revalidated."""
        unknown = [code for code in weights if code not in self._nodes]
        if unknown:
            raise FrameworkError(f"权重引用了未知指标“{unknown[0]}”")
        indicators = tuple(
            replace(item, weight=float(weights[item.code])) if item.code in weights else item
            for item in self.indicators
        )
        groups = tuple(
            replace(item, weight=float(weights[item.code])) if item.code in weights else item for item in self.groups
        )
        return Framework(indicators=indicators, groups=groups)

    def parent_index(self) -> IntArray:
        """For each node (``node_codes`` order) the index of its parent; the root points at itself."""
        index = {code: position for position, code in enumerate(self.node_codes)}
        return np.array(
            [index[self._parent.get(code, code)] for code in self.node_codes],
            dtype=np.int64,
        )

    def paths(self) -> IntArray:
        """Row ``d`` holds, for each indicator, the index of its ancestor ``d`` steps up.

        Paths shorter than the deepest one are padded with the root, whose weight is 1, so
        the product of per-node weights down each column is the indicator's effective weight.
        """
        index = {code: position for position, code in enumerate(self.node_codes)}
        chains: list[list[int]] = []
        for code in self.indicator_codes:
            chain = [index[code]]
            current = code
            while current in self._parent and self._parent[current] != self.root:
                current = self._parent[current]
                chain.append(index[current])
            chains.append(chain)
        depth = max(len(chain) for chain in chains)
        root_index = index[self.root]
        padded = [chain + [root_index] * (depth - len(chain)) for chain in chains]
        return np.array(padded, dtype=np.int64).T.copy()

    def effective_weights(self, weights: Mapping[str, float] | None = None) -> FloatArray:
        """Each indicator's share of the final score: the product of weights along its path."""
        node_weights = self.node_weight_vector(weights)
        result: FloatArray = np.prod(node_weights[self.paths()], axis=0)
        return result


def _check_weight(weight: float, kind: str, label: str) -> None:
    if not math.isfinite(weight) or weight < 0:
        raise FrameworkError(f"{kind}“{label}”的权重 {weight} 无效，应为不小于 0 的数")


def _check_indicator(indicator: Indicator) -> None:
    label = indicator.label
    if indicator.direction not in (1, -1):
        raise FrameworkError(f"指标“{label}”的方向应为 1（越大越好）或 -1（越小越好），实际为 {indicator.direction}")
    _check_weight(indicator.weight, "指标", label)
    if indicator.normalisation not in NORMALISATION_METHODS:
        choices = "、".join(NORMALISATION_METHODS)
        raise FrameworkError(f"指标“{label}”的标准化方法“{indicator.normalisation}”未知，可选：{choices}")
    for name, value in (("目标值", indicator.target), ("门槛值", indicator.floor)):
        if value is not None and not math.isfinite(value):
            raise FrameworkError(f"指标“{label}”的{name} {value} 无效")
    if indicator.transform is not None and indicator.transform not in ("log", "boxcox"):
        raise FrameworkError(f"指标“{label}”的变换“{indicator.transform}”未知，可选：log、boxcox")
    needs_target = indicator.normalisation in ("goalposts", "distance_to_target")
    if needs_target and indicator.target is None:
        raise FrameworkError(f"指标“{label}”采用{_METHOD_LABEL[indicator.normalisation]}，必须给出目标值")
    if indicator.normalisation == "goalposts" and indicator.floor is None:
        raise FrameworkError(f"指标“{label}”采用目标值法，必须给出门槛值（得 0 分的值）")
    if indicator.target is not None and indicator.floor is not None:
        gap = (indicator.target - indicator.floor) * indicator.direction
        if gap <= 0:
            order = "高于" if indicator.direction == 1 else "低于"
            raise FrameworkError(f"指标“{label}”的目标值应{order}门槛值")


_METHOD_LABEL: dict[str, str] = {
    "minmax": "极差标准化",
    "goalposts": "目标值法",
    "zscore": "Z 分数标准化",
    "percentile": "百分位排序",
    "distance_to_target": "距目标距离法",
}


def _check_children(groups: tuple[Group, ...], nodes: Mapping[str, Node]) -> dict[str, str]:
    parent: dict[str, str] = {}
    for group in groups:
        if not group.children:
            raise FrameworkError(f"指标组“{group.label}”没有下级指标")
        for child in group.children:
            if child not in nodes:
                raise FrameworkError(f"指标组“{group.label}”引用了未知指标“{child}”")
            if child in parent:
                first = nodes[parent[child]].label
                raise FrameworkError(f"“{nodes[child].label}”同时出现在指标组“{first}”和“{group.label}”中")
            parent[child] = group.code
    return parent


def _post_order(root: str, nodes: Mapping[str, Node]) -> tuple[str, ...]:
    """Groups reachable from the root, children first (iterative: packs may be deep)."""
    order: list[str] = []
    seen: set[str] = set()
    stack: list[tuple[str, bool]] = [(root, False)]
    while stack:
        code, expanded = stack.pop()
        node = nodes[code]
        if not isinstance(node, Group):
            continue
        if expanded:
            order.append(code)
            continue
        if code in seen:
            continue
        seen.add(code)
        stack.append((code, True))
        stack.extend((child, False) for child in reversed(node.children))
    return tuple(order)


def method_label(method: str) -> str:
    """The Chinese name of a normalisation method, for messages and reports."""
    return _METHOD_LABEL.get(method, method)
