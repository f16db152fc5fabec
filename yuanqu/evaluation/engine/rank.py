"""Ranking within unit groups (park types): the highest score is rank 1.

Step 5 of the pipeline, and (batched, exact) the last step of every Monte Carlo run.

Ties in the nominal ranking are decided, never left to sort order, and reported: scores equal
within a tolerance are ordered by the secondary key (higher first) when one is given, then by
unit id; each tie is returned so that a page can say "A and B scored the same; A placed first
by …". In the Monte Carlo exact float ties are vanishingly rare and are broken by unit id.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from yuanqu.evaluation.engine._arrays import BoolArray, FloatArray, IntArray, as_float, frozen

NOT_RANKED = 0
TIE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Tie:
    """Units of one group whose scores are equal within the tolerance, in their final order."""

    group: str
    unit_ids: tuple[str, ...]
    ranks: tuple[int, ...]
    score: float
    by_secondary: bool

    def describe(self) -> str:
        units = "、".join(self.unit_ids)
        rule = "次要指标得分" if self.by_secondary else "次要指标得分相同或未设置，按单位编号"
        places = "、".join(str(rank) for rank in self.ranks)
        return f"{self.group}：{units} 得分相同（{self.score:.4f}），依{rule}排序为第 {places} 名"


@dataclass(frozen=True, eq=False)
class Ranking:
    """``ranks[i]`` is unit i's rank within its group; ``NOT_RANKED`` (0) for excluded units."""

    ranks: IntArray
    ties: tuple[Tie, ...]


def rank_within_groups(
    scores: FloatArray,
    unit_groups: Sequence[str],
    unit_ids: Sequence[str],
    *,
    included: BoolArray | None = None,
    secondary: FloatArray | None = None,
    tolerance: float = TIE_TOLERANCE,
) -> Ranking:
    """Rank units within each group; excluded units and NaN scores are not ranked."""
    values = as_float(scores)
    n = values.size
    if len(unit_groups) != n or len(unit_ids) != n:
        raise ValueError("scores, unit_groups and unit_ids must have the same length")
    keep = ~np.isnan(values) if included is None else np.asarray(included, dtype=np.bool_) & ~np.isnan(values)
    tiebreak = np.zeros(n) if secondary is None else np.nan_to_num(as_float(secondary), nan=-np.inf)
    ranks = np.full(n, NOT_RANKED, dtype=np.int64)
    ties: list[Tie] = []
    labels = np.asarray(unit_groups, dtype=object)
    for group in sorted(set(np.asarray(unit_groups, dtype=object)[keep].tolist())):
        members = np.flatnonzero(keep & (labels == group))
        # Highest score first; equal scores are grouped below before the tie-break applies.
        members = members[np.argsort(-values[members], kind="stable")]
        ordered = members.copy()
        for start, stop in _tied_runs(values[members], tolerance):
            units = np.array(sorted(members[start:stop].tolist(), key=lambda i: (-tiebreak[i], str(unit_ids[i]))))
            ordered[start:stop] = units
            ties.append(
                Tie(
                    group=str(group),
                    unit_ids=tuple(str(unit_ids[i]) for i in units),
                    ranks=tuple(range(start + 1, stop + 1)),
                    score=float(values[units[0]]),
                    by_secondary=secondary is not None and np.unique(tiebreak[units]).size == units.size,
                )
            )
        ranks[ordered] = np.arange(1, ordered.size + 1)
    return Ranking(ranks=frozen(ranks), ties=tuple(ties))


def _tied_runs(descending: FloatArray, tolerance: float) -> list[tuple[int, int]]:
    """(start, stop) of each run of two or more sorted scores whose neighbours differ by at most
    the tolerance; a score alone in its run needs no decision."""
    if descending.size < 2:
        return []
    scale = np.maximum(1.0, np.abs(descending[1:]))
    breaks = np.flatnonzero(descending[:-1] - descending[1:] > tolerance * scale) + 1
    starts = np.concatenate(([0], breaks))
    stops = np.concatenate((breaks, [descending.size]))
    tied = stops - starts > 1
    return list(zip(starts[tied].tolist(), stops[tied].tolist(), strict=True))


@dataclass(frozen=True, eq=False)
class GroupLayout:
    """Ranked units laid out group by group, unit ids ascending within a group.

    Built once per Monte Carlo; ``blocks`` hold positions into the score columns.
    """

    blocks: tuple[IntArray, ...]
    size_of_group: IntArray


def group_layout(unit_groups: Sequence[str], unit_ids: Sequence[str], included: BoolArray) -> GroupLayout:
    labels = np.asarray(unit_groups, dtype=object)
    size_of_group = np.zeros(len(unit_ids), dtype=np.int64)
    blocks: list[IntArray] = []
    for group in sorted(set(labels[included].tolist())):
        members = np.flatnonzero(included & (labels == group))
        members = np.array(sorted(members.tolist(), key=lambda i: str(unit_ids[i])), dtype=np.int64)
        blocks.append(members)
        size_of_group[members] = members.size
    return GroupLayout(blocks=tuple(blocks), size_of_group=size_of_group)


def ascending_order(keys: FloatArray) -> IntArray:
    """Per row of ``keys`` (runs, units): the unit positions from the lowest key to the highest,
    NaN last, exact ties (NaN among NaN too) in position order — the order a stable sort gives.

    Sorted with quicksort (introsort), about three times faster than the stable sort on a batch of
    runs; the rare rows with an exact tie or more than one NaN are sorted again stably, so the
    order is the stable one in every case. ``keys`` may be a view with strided rows.
    """
    order: IntArray = np.argsort(keys, axis=1, kind="quicksort")
    if keys.shape[1] > 1:
        _make_ties_stable(keys, order, _in_order(keys, order))
    return order


def _make_ties_stable(keys: FloatArray, order: IntArray, ordered: FloatArray) -> None:
    """Sort again, stably, the rows of ``order`` whose keys in that order (``ordered``) hold an
    exact tie or more than one NaN (NaN sorts last, so two NaN are the last two)."""
    tied = np.any(ordered[:, 1:] == ordered[:, :-1], axis=1)
    tied |= np.isnan(ordered[:, -2]) & np.isnan(ordered[:, -1])
    if tied.any():
        order[tied] = np.argsort(keys[tied], axis=1, kind="stable")


def _in_order(keys: FloatArray, order: IntArray) -> FloatArray:
    """``take_along_axis(keys, order, axis=1)``, as one flat take when each row's keys are adjacent
    in memory (a batch or a view of some of its columns): about three times faster."""
    rows, width = keys.shape
    item = keys.itemsize
    if rows == 0 or keys.strides[1] != item or keys.strides[0] % item or keys.strides[0] < width * item:
        gathered: FloatArray = np.take_along_axis(keys, order, axis=1)
        return gathered
    step = keys.strides[0] // item
    # The keys from the first row's first to the last row's last, as one run of memory: inside
    # the array's own buffer, as every element of a view is.
    flat = np.lib.stride_tricks.as_strided(keys, shape=((rows - 1) * step + width,), strides=(item,))
    index = order + np.arange(0, rows * step, step, dtype=order.dtype)[:, None]
    taken: FloatArray = np.take(flat, index)
    return taken


def descending_order(scores: FloatArray) -> IntArray:
    """``ascending_order`` of the negated scores: the highest score first, NaN last, exact ties in
    position order (negation is exact, so the order is that of the scores themselves)."""
    return ascending_order(-scores)


def rank_batch(scores: FloatArray, layout: GroupLayout) -> IntArray:
    """Ranks for a batch: ``scores`` is (runs, units); returns (runs, units), 0 = not ranked.

    Units are laid out by id within a group, so exact ties go to the smaller id; NaN scores
    sort last.
    """
    runs, units = scores.shape
    ranks = np.zeros((runs, units), dtype=np.int64)
    for block in layout.blocks:
        order = descending_order(scores[:, block])
        block_ranks = np.empty_like(order)
        np.put_along_axis(block_ranks, order, np.arange(1, block.size + 1)[None, :], axis=1)
        ranks[:, block] = block_ranks
    return ranks


def block_columns(values: FloatArray, block: IntArray) -> FloatArray:
    """``values[:, block]``: a view when the block is a run of adjacent columns (a layout built by
    ``contiguous_layout``), else a copy."""
    if block.size and int(block[-1]) - int(block[0]) + 1 == block.size and bool((np.diff(block) == 1).all()):
        view: FloatArray = values[:, int(block[0]) : int(block[-1]) + 1]
        return view
    columns: FloatArray = values[:, block]
    return columns


def contiguous_layout(layout: GroupLayout) -> tuple[GroupLayout, IntArray]:
    """The layout with its units placed group after group, and the placement: column j of the new
    layout is column ``placement[j]`` of the old one. Each group is then a run of adjacent columns,
    so a batch's group is ranked from a view of its scores instead of a gathered copy."""
    placement = np.concatenate(layout.blocks) if layout.blocks else np.zeros(0, dtype=np.int64)
    blocks: list[IntArray] = []
    start = 0
    for block in layout.blocks:
        blocks.append(np.arange(start, start + block.size, dtype=np.int64))
        start += block.size
    return GroupLayout(blocks=tuple(blocks), size_of_group=layout.size_of_group[placement]), placement


# Rows of a batch ranked together: about 32,000 keys, so a chunk's keys and its sort order stay
# in the core's own cache while they are sorted, checked for ties and turned into cells.
CHUNK_KEYS = 32_768
# Places of a group counted by one bincount: about 131,000 cells of histogram (1 MB), small enough
# that the allocator reuses the count's memory instead of mapping fresh pages for every count.
SEGMENT_CELLS = 131_072


class _PendingCells:
    """One thread's cells not yet counted: per group a buffer of places × runs, filled chunk by
    chunk over several batches and counted when full. A buffer holds at least as many runs as the
    group has places, so a count's cells are at least as many as its histogram's (a bincount costs
    its output's size as well as its input's)."""

    def __init__(self, sizes: Sequence[int]) -> None:
        widths = []
        for size in sizes:
            step = _chunk_rows(size)
            widths.append(-(-max(size, step) // step) * step)  # whole chunks
        self.buffers = [np.empty((size, width), dtype=np.int64) for size, width in zip(sizes, widths, strict=True)]
        self.filled = [0 for _ in sizes]


def _chunk_rows(size: int) -> int:
    return max(1, CHUNK_KEYS // max(size, 1))


class RankCounter:
    """Rank histograms of a contiguous layout's groups (``contiguous_layout``), counted batch by
    batch without a rank matrix. Threads may add batches at the same time.

    Each group of a batch is sorted a chunk of rows at a time, and the sort order is written place
    by place (``place * size + unit``, numbered within a segment of places) into the thread's
    pending cells; when a group's buffer is full (and at the end, in ``counts``) each segment of
    places is counted with one ``bincount`` and added into the histogram (places × units) under a
    lock. The counts of a segment touch only its own rows of the histogram, and they are integers,
    so the order in which threads add them does not matter. Memory: per group its histogram
    (size²) and, per thread, a buffer of as many cells.
    """

    def __init__(self, layout: GroupLayout) -> None:
        starts: list[int] = []
        for block in layout.blocks:
            if block.size and int(block[-1]) - int(block[0]) + 1 != block.size:
                raise ValueError("RankCounter needs a contiguous layout (contiguous_layout)")
            starts.append(int(block[0]) if block.size else 0)
        self._starts = tuple(starts)
        self._sizes = tuple(int(block.size) for block in layout.blocks)
        self._totals = [np.zeros(size * size, dtype=np.int64) for size in self._sizes]
        self._lock = threading.Lock()
        self._local = threading.local()
        self._pending: list[_PendingCells] = []
        self._segments = tuple(max(1, SEGMENT_CELLS // max(size, 1)) for size in self._sizes)
        # The first term of a cell: its place within its segment, times the group's size.
        self._place_terms = tuple(
            ((np.arange(size, dtype=np.int64) % segment) * size)[:, None]
            for size, segment in zip(self._sizes, self._segments, strict=True)
        )

    def add(self, keys: FloatArray) -> None:
        """Count one batch: ``keys`` is (runs, units) in layout order, the lowest key ranked first."""
        runs, units = keys.shape
        keys = np.ascontiguousarray(keys)
        flat_keys = keys.reshape(-1)
        row_starts = np.arange(0, runs * units, units, dtype=np.int64)[:, None]
        pending = self._pending_of_this_thread()
        for group, (start, size) in enumerate(zip(self._starts, self._sizes, strict=True)):
            if size == 0:
                continue
            buffer = pending.buffers[group]
            step = _chunk_rows(size)
            for first in range(0, runs, step):
                rows = min(step, runs - first)
                if pending.filled[group] + rows > buffer.shape[1]:
                    self._count(group, pending)
                chunk = keys[first : first + rows, start : start + size]
                order = np.argsort(chunk, axis=1, kind="quicksort")
                if size > 1:
                    # The chunk's keys in sorted order, gathered from the batch's flat keys.
                    positions = order + (row_starts[first : first + rows] + start)
                    _make_ties_stable(chunk, order, np.take(flat_keys, positions))
                filled = pending.filled[group]
                np.add(order.T, self._place_terms[group], out=buffer[:, filled : filled + rows])
                pending.filled[group] = filled + rows

    def counts(self) -> tuple[IntArray, ...]:
        """Per group, (units, size + 1): ``counts[g][i, r]`` runs put unit i at rank r (column 0 empty).
        Counts every thread's pending cells first: call it once the threads have added their batches."""
        for pending in self._pending:
            for group in range(len(self._sizes)):
                self._count(group, pending)
        result: list[IntArray] = []
        for totals, size in zip(self._totals, self._sizes, strict=True):
            counts = np.zeros((size, size + 1), dtype=np.int64)
            counts[:, 1:] = totals.reshape(size, size).T
            result.append(counts)
        return tuple(result)

    def _pending_of_this_thread(self) -> _PendingCells:
        pending: _PendingCells | None = getattr(self._local, "pending", None)
        if pending is None:
            pending = self._local.pending = _PendingCells(self._sizes)
            with self._lock:
                self._pending.append(pending)
        return pending

    def _count(self, group: int, pending: _PendingCells) -> None:
        filled = pending.filled[group]
        if not filled:
            return
        size = self._sizes[group]
        # Each segment's cells must be one run of memory: a buffer not yet full is copied first.
        cells = pending.buffers[group][:, :filled]
        flat = np.ascontiguousarray(cells).reshape(-1)
        totals = self._totals[group]
        segment = self._segments[group]
        for place in range(0, size, segment):
            stop = min(place + segment, size)
            counted = np.bincount(flat[place * filled : stop * filled], minlength=(stop - place) * size)
            with self._lock:
                totals[place * size : stop * size] += counted
        pending.filled[group] = 0


def rank_counts_batch(scores: FloatArray, layout: GroupLayout) -> tuple[IntArray, ...]:
    """Rank histograms of a batch, one per group of the layout: ``counts[g][i, r]`` is how many
    runs of the batch put the group's unit i (in layout order) at rank r (column 0 stays empty).

    The same ranks as ``rank_batch`` without holding them: the sort order itself says which unit
    took which place, so no rank matrix is built.
    """
    placed, placement = contiguous_layout(layout)
    counter = RankCounter(placed)
    counter.add(-scores[:, placement])
    return counter.counts()
