from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from yuanqu.evaluation.engine import rank
from yuanqu.evaluation.engine.rank import (
    NOT_RANKED,
    RankCounter,
    ascending_order,
    contiguous_layout,
    descending_order,
    group_layout,
    rank_batch,
    rank_counts_batch,
    rank_within_groups,
)


def test_it_ranks_within_each_group_highest_first() -> None:
    ranking = rank_within_groups(
        np.array([70.0, 90.0, 50.0, 60.0, 80.0]),
        ["现代", "现代", "都市", "都市", "现代"],
        ["A", "B", "C", "D", "E"],
    )
    assert ranking.ranks.tolist() == [3, 1, 2, 1, 2]
    assert ranking.ties == ()


def test_it_breaks_ties_by_unit_id_and_reports_them() -> None:
    ranking = rank_within_groups(
        np.array([80.0, 80.0 + 1e-12, 90.0, 80.0]),
        ["现代"] * 4,
        ["P3", "P1", "P0", "P2"],
    )
    assert ranking.ranks.tolist() == [4, 2, 1, 3]
    (tie,) = ranking.ties
    assert tie.unit_ids == ("P1", "P2", "P3")
    assert tie.ranks == (2, 3, 4)
    assert not tie.by_secondary
    assert "P1、P2、P3 得分相同" in tie.describe()
    assert "第 2、3、4 名" in tie.describe()


def test_it_breaks_ties_by_the_secondary_key_first() -> None:
    ranking = rank_within_groups(
        np.array([80.0, 80.0, 70.0]),
        ["特色"] * 3,
        ["A", "B", "C"],
        secondary=np.array([10.0, 20.0, 99.0]),
    )
    assert ranking.ranks.tolist() == [2, 1, 3]
    assert ranking.ties[0].unit_ids == ("B", "A")
    assert ranking.ties[0].by_secondary


def test_it_does_not_rank_excluded_units_or_missing_scores() -> None:
    ranking = rank_within_groups(
        np.array([80.0, np.nan, 90.0, 10.0]),
        ["现代"] * 4,
        ["A", "B", "C", "D"],
        included=np.array([True, True, True, False]),
    )
    assert ranking.ranks.tolist() == [2, NOT_RANKED, 1, NOT_RANKED]


def test_it_ranks_batches_like_the_nominal_ranking_when_scores_differ() -> None:
    rng = np.random.default_rng(9)
    groups = [("现代", "特色", "都市")[i % 3] for i in range(30)]
    ids = [f"P{i:02d}" for i in range(30)]
    scores = rng.uniform(size=(4, 30))
    layout = group_layout(groups, ids, np.ones(30, dtype=bool))
    batch = rank_batch(scores, layout)
    for run in range(4):
        expected = rank_within_groups(scores[run], groups, ids).ranks
        np.testing.assert_array_equal(batch[run], expected)


def test_it_breaks_exact_ties_in_batches_by_unit_id() -> None:
    layout = group_layout(["A", "A", "A"], ["P2", "P0", "P1"], np.ones(3, dtype=bool))
    ranks = rank_batch(np.array([[5.0, 5.0, 5.0], [1.0, 5.0, 5.0]]), layout)
    assert ranks.tolist() == [[3, 1, 2], [3, 1, 2]]


def test_it_counts_the_ranks_of_a_batch_as_rank_batch_gives_them_with_ties_and_gaps() -> None:
    rng = np.random.default_rng(12)
    groups = [("现代", "特色")[i % 2] for i in range(12)]
    ids = [f"P{i:02d}" for i in range(12)]
    scores = rng.integers(0, 4, size=(40, 12)).astype(float)  # many exact ties
    scores[rng.random(scores.shape) < 0.15] = np.nan
    layout = group_layout(groups, ids, np.ones(12, dtype=bool))
    ranks = rank_batch(scores, layout)
    for block, counts in zip(layout.blocks, rank_counts_batch(scores, layout), strict=True):
        expected = np.stack([np.bincount(ranks[:, unit], minlength=block.size + 1) for unit in block])
        np.testing.assert_array_equal(counts, expected)
    # Exact ties and NaN go as a stable sort puts them: the smaller id first.
    stable = np.argsort(-scores[:, layout.blocks[0]], axis=1, kind="stable")
    np.testing.assert_array_equal(descending_order(scores[:, layout.blocks[0]]), stable)


def test_it_sorts_a_view_of_some_columns_as_a_stable_sort_of_a_copy() -> None:
    rng = np.random.default_rng(5)
    keys = rng.integers(0, 5, size=(30, 17)).astype(float)  # many exact ties
    keys[rng.random(keys.shape) < 0.2] = np.nan
    view = keys[:, 4:13]
    np.testing.assert_array_equal(ascending_order(view), np.argsort(view.copy(), axis=1, kind="stable"))
    np.testing.assert_array_equal(ascending_order(keys[::2, ::2]), np.argsort(keys[::2, ::2], axis=1, kind="stable"))


def test_it_counts_batches_of_any_size_on_a_contiguous_layout_as_rank_batch_ranks_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Chunks of 2 rows and segments of 2 places, so that a group's rows and places each fall into
    # several pieces, the last one short.
    monkeypatch.setattr(rank, "CHUNK_KEYS", 10)
    monkeypatch.setattr(rank, "SEGMENT_CELLS", 11)
    rng = np.random.default_rng(21)
    groups = [("现代", "特色", "都市")[i % 3] for i in range(14)]
    ids = [f"P{(7 * i) % 14:02d}" for i in range(14)]
    scores = rng.integers(0, 6, size=(120, 14)).astype(float)  # many exact ties
    scores[rng.random(scores.shape) < 0.1] = np.nan
    layout, placement = contiguous_layout(group_layout(groups, ids, np.ones(14, dtype=bool)))
    placed = scores[:, placement]
    ranks = rank_batch(placed, layout)
    counter = RankCounter(layout)
    # Batches of one run, of a few, and larger than any before (the cell buffer grows), from two threads.
    with ThreadPoolExecutor(max_workers=2) as pool:
        for start, stop in ((0, 3), (3, 4), (4, 9), (9, 70), (70, 120)):
            pool.submit(counter.add, -placed[start:stop]).result()
    for block, counts in zip(layout.blocks, counter.counts(), strict=True):
        expected = np.stack([np.bincount(ranks[:, unit], minlength=block.size + 1) for unit in block])
        np.testing.assert_array_equal(counts, expected)
    # The placed layout ranks each unit as the original one did.
    original = rank_batch(scores, group_layout(groups, ids, np.ones(14, dtype=bool)))
    np.testing.assert_array_equal(ranks, original[:, placement])


def test_it_refuses_to_count_on_a_layout_whose_groups_are_not_adjacent_columns() -> None:
    layout = group_layout(["A", "B", "A"], ["P0", "P1", "P2"], np.ones(3, dtype=bool))
    with pytest.raises(ValueError, match="contiguous"):
        RankCounter(layout)
