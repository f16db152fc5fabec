"""统一社会信用代码 (GB 32100-2015): check-digit validation and generation. Pure Python.

python-stdnum's validator refuses codes whose first eight characters are not all digits (the A/N/Y
registration authorities), so the platform carries its own."""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
AUTHORITIES = frozenset("123456789ANY")
_VALUE = {char: index for index, char in enumerate(ALPHABET)}


class USCCError(ValueError):
    """The code is not a valid 统一社会信用代码; the message is Chinese and names the rule."""


def check_char(first17: str) -> str:
    total = sum(_VALUE[char] * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalise(code: str) -> str:
    """Upper-case and strip spaces, including full-width ones pasted from documents."""
    return code.replace("\u3000", "").replace(" ", "").strip().upper()


def validate(code: str) -> str:
    """Return the normalised code or raise USCCError saying which rule it breaks."""
    value = normalise(code)
    if len(value) != 18:
        raise USCCError(f"统一社会信用代码应为18位，实际为{len(value)}位")
    bad = sorted({char for char in value if char not in _VALUE})
    if bad:
        raise USCCError(
            f"统一社会信用代码含有不允许的字符：{'、'.join(bad)}（不得使用 I、O、S、V、Z 及小写以外的符号）"
        )
    if value[0] not in AUTHORITIES:
        raise USCCError(f"统一社会信用代码第1位（登记管理部门）“{value[0]}”无效，应为1–9、A、N、Y")
    expected = check_char(value[:17])
    if value[17] != expected:
        raise USCCError(f"统一社会信用代码校验位错误：第18位应为“{expected}”，实际为“{value[17]}”")
    return value


def is_valid(code: str) -> bool:
    try:
        validate(code)
    except USCCError:
        return False
    return True


def make(body17: str) -> str:
    """Complete a 17-character body with its check character (used by the demo generator)."""
    if len(body17) != 17 or any(char not in _VALUE for char in body17):
        raise USCCError("代码主体应为17位合法字符")
    return body17 + check_char(body17)
