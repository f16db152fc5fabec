"""The library's duplicate check reads the library once per import (`matching.LibraryIndex`): the
same answers as comparing each name with every entry, on a fixture with known answers, and a firm
written during the import is seen by the rows after it without a second read."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rapidfuzz import fuzz

from yuanqu.core.uscc import make as make_uscc
from yuanqu.investment import services
from yuanqu.investment.matching import SIMILAR_NAME_RATIO, LibraryEntry, LibraryIndex, investor_key
from yuanqu.investment.tests.conftest import InvestWorld

A = make_uscc("91440300MA5F00011")
B = make_uscc("91440300MA5F00012")
NAMES = [
    (1, "光谷科技股份有限公司", ""),
    (2, "深圳市光谷科技有限公司", A),
    (3, "长江存储控股有限公司", B),
    (4, "光谷科技集团", ""),
    (5, "武汉光谷生物医药有限公司", ""),
]


def _index() -> LibraryIndex:
    return LibraryIndex(LibraryEntry(pk, name, investor_key(name), uscc) for pk, name, uscc in NAMES)


def _brute(key: str, uscc: str) -> list[int]:
    """What the library check did before: every entry compared one by one."""
    return [
        pk
        for pk, name, code in NAMES
        if fuzz.ratio(key, investor_key(name)) >= SIMILAR_NAME_RATIO and (not uscc or not code or code != uscc)
    ]


def test_it_answers_as_comparing_every_entry() -> None:
    index = _index()
    for name, uscc in (("光谷科技有限公司", ""), ("光谷科技有限公司", A), ("长江存储有限公司", ""), ("无关企业", "")):
        key = investor_key(name)
        assert [e.pk for e in index.similar(key, uscc=uscc)] == _brute(key, uscc)
    # Known answers: 光谷科技 matches the two entries without a code and the one with another code …
    assert [e.pk for e in index.similar("光谷科技")] == [1, 2, 4]
    # … and never the firm with the same credit code, which is the same firm.
    assert [e.pk for e in index.similar("光谷科技", uscc=A)] == [1, 4]
    assert [e.pk for e in index.similar("光谷科技", uscc=B, unknown_only=True)] == [1, 4]
    assert index.by_uscc(A) is not None and index.by_uscc(A).pk == 2  # type: ignore[union-attr]
    assert index.by_uscc("") is None
    assert index.by_name("光谷科技", uscc=B).pk == 1  # type: ignore[union-attr]
    assert index.by_name("长江存储控股", uscc=A) is None  # both have codes: the codes tell them apart


def test_a_shared_index_reads_the_library_once_and_sees_each_new_firm(inv: InvestWorld) -> None:
    actor = inv.user("district_jiangxia")
    services.candidate_create(actor=actor, name="长江存储控股有限公司")
    library = services.candidate_library()
    with CaptureQueriesContext(connection) as queries:
        for n in range(5):
            services.candidate_create(actor=actor, name=f"星河第{n}光电有限公司", library=library, confirm_similar=True)
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert not [sql for sql in reads if "name_key" in sql]  # no row re-read the library's names
    assert len(library) == 6
    same, similar = services.candidate_duplicates(name="星河第3光电有限公司", library=library)
    assert same is None and "星河第3光电有限公司" in [e.name for e in similar]
