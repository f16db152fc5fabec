"""The policy pack's message catalogue: every message the reader gives for a file or a value of the
wrong shape, in one place, so that the same error reads the same in every section (units, indicators,
casework, the evaluation rules …). Tests assert on these constants.

Messages about a section's own rules (a target's scope, an AHP matrix …) stay with the section that
checks them (`<app>/pack.py`); they name the rule in words a bureau's editor of the YAML understands.
Placeholders are `str.format` fields."""

from __future__ import annotations

# The pack and its files.
PACK_REFUSED = "政策包 {path} 校验未通过，共 {count} 个问题：\n{problems}"
PACK_DIR_MISSING = "政策包目录不存在"
FILE_MISSING = "缺少文件"
FILE_NOT_UTF8 = "文件不是 UTF-8 编码：{reason}"
YAML_SYNTAX = "YAML 语法错误：{detail}"
FILE_EMPTY = "文件为空"
OWN_FILE_MISSING = "：政策包目录中没有文件“{name}”"
FILE_NOT_MAPPING = "文件顶层应为映射（键: 值），实际为{actual}"
KEY_NOT_TEXT = "键“{key}”应为文本"
KEY_REPEATED = "重复的键“{key}”（第{line}行已出现）"

# Keys of a mapping. `{prefix}` is the label of the mapping ("目标“x”：") or empty at the top level.
KEY_MISSING = "{prefix}缺少必填项“{key}”"
KEY_UNKNOWN = "{prefix}未知的项“{key}”"

# Values (appended to "{prefix}“{key}”").
WRONG_TYPE = "应为{expected}，实际为{actual}"
EMPTY_TEXT = "不能为空"
NOT_FINITE = "应为有限的数值，实际为{value}"
HAN_IN_ENGLISH = "（英文名称）不应含汉字，实际为“{value}”"
BAD_CODE = "的代码“{value}”格式无效：只能用小写字母、数字和下划线，并以字母开头"
BELOW_MINIMUM = "应不小于{minimum}，实际为{value}"
NOT_POSITIVE = "应大于0，实际为{value:g}"
BAD_CHOICE = "的{what}“{value}”无效，应为：{allowed}"
BAD_CHOICE_ITEM = "中的“{value}”无效，应为：{allowed}"
ITEM_NOT_TEXT = "的每一项应为非空文本，实际为{actual}"
ITEM_REPEATED = "中“{value}”重复（第{line}行已出现）"
ITEM_BAD_CODE = "中的代码“{value}”格式无效"
ITEM_NOT_MAPPING = "的每一项应为映射（键: 值），实际为{actual}"

# Codes across a file.
CODE_REPEATED = "{what}代码“{value}”重复（第{line}行已定义）"
CODE_UNKNOWN = "未知的{what}代码“{value}”"
NUMBERING = "{what}编号应为{expected}（按顺序从1连续编号），实际为{value}"

# Type names used in WRONG_TYPE.
TEXT = "文本"
BOOLEAN = "布尔值"
INTEGER = "整数"
NUMBER = "数值"
DATE = "日期"
DATETIME = "日期时间"
MAPPING = "映射"
LIST = "列表"
NULL = "空值"
BOOLEAN_EXPECTED = "布尔值（true 或 false）"
DATE_EXPECTED = "日期（YYYY-MM-DD）"
MAPPING_EXPECTED = "映射（键: 值）"
