from __future__ import annotations

import pytest

from yuanqu.core import uscc


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L", " 91110000600037341l "])
def test_it_accepts_valid_codes(code: str) -> None:
    assert uscc.validate(code) == code.strip().upper()


def test_it_accepts_authorities_a_n_y_that_python_stdnum_rejects() -> None:
    for authority in "ANY":
        code = uscc.make(f"{authority}14201000MA4K0001")
        assert uscc.is_valid(code), code


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("9135010", "应为18位，实际为7位"),
        ("91350100M000100I43", "不允许的字符：I"),
        ("91350100M000100S4O", "不允许的字符：O、S"),
        ("91350100M000100Y44", "第18位应为“3”，实际为“4”"),
        ("B1350100M000100Y43", "第1位（登记管理部门）“B”无效"),
    ],
)
def test_it_names_the_rule_a_code_breaks(code: str, message: str) -> None:
    with pytest.raises(uscc.USCCError) as error:
        uscc.validate(code)
    assert message in str(error.value)
