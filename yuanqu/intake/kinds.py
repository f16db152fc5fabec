"""What each kind of upload contains: its columns (Chinese header, unit, type, whether required,
synonyms accepted on upload, coded values for dropdowns), its instructions and its example row.

One list per kind, used by the reader (header matching), the validator, the .xlsx templates and the
error reports. Measures come from yuanqu.stats.measures, so a measure added there appears here."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from yuanqu.intake.headers import HeaderMatcher
from yuanqu.registry.models import LabelKind, LabelLevel, LandParcel
from yuanqu.stats.measures import ANNUAL_EXTRA_MEASURES, ENTERPRISE_MEASURES, FLOW_MEASURES, PARK_MEASURES, Measure
from yuanqu.stats.models import ImportBatch

Kind = ImportBatch.Kind

# Column types the validator knows.
TEXT, USCC, DECIMAL, INTEGER, PERCENT, MONTH, YEAR, DATE, CHOICE = (
    "text",
    "uscc",
    "decimal",
    "integer",
    "percent",
    "month",
    "year",
    "date",
    "choice",
)
# Dropdowns filled from the database when a template is made (the districts, the user's parks).
DISTRICTS, PARKS = "districts", "parks"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    type: str = TEXT
    unit: str = ""
    required: bool = False  # the column must be in the file
    cell_required: bool = False  # and every row must fill it
    synonyms: tuple[str, ...] = ()
    choices: tuple[tuple[str, str], ...] = ()
    choice_synonyms: tuple[tuple[str, str], ...] = ()
    dropdown: str = ""  # DISTRICTS or PARKS: a list from the database
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    max_length: int = 0
    places: Decimal = Decimal("0.01")  # decimals kept; coordinates keep seven
    # Digits of the decimal field the column is stored in (decimals included); None for a float
    # field (coordinates), whose value is rounded to `places`. Kept equal to the model field.
    max_digits: int | None = 18
    note: str = ""
    example: Any = None

    @property
    def title(self) -> str:
        """The header the template writes: name, then the unit in full-width brackets."""
        return f"{self.header}（{self.unit}）" if self.unit else self.header

    @property
    def is_number(self) -> bool:
        return self.type in (DECIMAL, INTEGER, PERCENT)


@dataclass(frozen=True)
class KindSpec:
    code: str
    label: str
    columns: tuple[Column, ...]
    instructions: tuple[str, ...]
    file_stem: str
    stats: bool = False
    ignored_headers: tuple[str, ...] = ("序号", "备注", "说明", "校验结果", "错误说明", "原行号")
    examples: tuple[tuple[str, Any], ...] = field(default=())

    @cached_property
    def matcher(self) -> HeaderMatcher:
        names: list[tuple[str, str]] = []
        for column in self.columns:
            names.append((column.key, column.header))
            names.extend((column.key, synonym) for synonym in column.synonyms)
        return HeaderMatcher(names, ignored=self.ignored_headers)

    @cached_property
    def by_key(self) -> dict[str, Column]:
        return {column.key: column for column in self.columns}

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(column for column in self.columns if column.required)

    def example_row(self) -> list[Any]:
        return [column.example for column in self.columns]


# ---------------------------------------------------------------- shared columns

EXAMPLE_USCC = "91420115MA49XAMP0E"

USCC_COLUMN = Column(
    "uscc",
    "统一社会信用代码",
    USCC,
    required=True,
    cell_required=True,
    synonyms=("社会信用代码", "信用代码", "统一代码", "企业统一社会信用代码", "USCC", "企业代码"),
    note="18位，校验位须正确",
    example=EXAMPLE_USCC,
)
NAME_CHECK_COLUMN = Column(
    "name",
    "企业名称",
    TEXT,
    synonyms=("单位名称", "企业全称", "名称", "单位详细名称"),
    note="可选；与名录不一致时给出警告",
    example="武汉示例光电科技有限公司",
)


def district_column(*, cell_required: bool, more_synonyms: tuple[str, ...] = (), note: str = "") -> Column:
    """The required 所属区 column (a dropdown of the districts); `more_synonyms` adds headers."""
    return Column(
        "district",
        "所属区",
        CHOICE,
        required=True,
        cell_required=cell_required,
        dropdown=DISTRICTS,
        synonyms=("所属区县", "区", "所在区", "行政区", *more_synonyms),
        note=note,
        example="江夏区",
    )


def park_column(*, note: str, example: str | None = None) -> Column:
    """The optional 所在园区 column (a dropdown of the user's parks)."""
    return Column(
        "park",
        "所在园区",
        CHOICE,
        dropdown=PARKS,
        synonyms=("园区", "所属园区", "园区名称", "园区编码"),
        note=note,
        example=example,
    )


# The required 园区编码 column of the kinds with one row per park (园区年度数据, 园区年度资源循环数据).
PARK_CODE_COLUMN = Column(
    "park",
    "园区编码",
    CHOICE,
    required=True,
    cell_required=True,
    dropdown=PARKS,
    synonyms=("园区代码", "园区", "园区名称"),
    note="园区编码或园区名称",
    example="PA",
)


MEASURE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "revenue": ("营业收入合计", "主营业务收入", "营收"),
    "output": ("工业总产值（当年价格）", "总产值", "工业总产值当年价"),
    "value_added": ("增加值", "工业增加值（现价）"),
    "profit": ("利润", "利润合计"),
    "tax": ("税金", "应交税金", "税金合计", "税收"),
    "rd_expense": ("研发经费", "研究开发费用", "研发投入", "R&D经费支出"),
    "energy_tce": ("综合能耗", "能源消费量", "能耗"),
    "export_value": ("出口交货值合计", "出口"),
    "employees": ("从业人员", "从业人数", "期末从业人员", "从业人员期末数", "年末从业人员"),
    "land_mu": ("占地面积", "土地面积"),
    "rd_staff": ("研发人员", "研究开发人员数", "R&D人员"),
}
MONTH_WORDS = ("本月", "当月", "本期")
YTD_WORDS = ("1-本月累计", "1—本月累计", "1至本月累计", "本年累计", "累计", "年初累计", "1-本月", "本年1-本月累计")
# Profit may be negative (a loss); every other enterprise measure is a non-negative amount.
SIGNED_MEASURES = frozenset({"profit"})
EXAMPLE_MONTHLY = {
    "revenue": (Decimal("1250.50"), Decimal("7320.80")),
    "output": (Decimal("1300.00"), Decimal("7560.00")),
    "value_added": (Decimal("320.00"), Decimal("1890.00")),
    "profit": (Decimal("85.20"), Decimal("402.60")),
    "tax": (Decimal("40.10"), Decimal("236.00")),
    "rd_expense": (Decimal("62.00"), Decimal("350.40")),
    "energy_tce": (Decimal("210.00"), Decimal("1275.00")),
    "export_value": (Decimal("0"), Decimal("120.00")),
}


def _measure_bounds(measure: Measure) -> Decimal | None:
    return None if measure.code in SIGNED_MEASURES else Decimal(0)


def _monthly_columns() -> tuple[Column, ...]:
    columns: list[Column] = []
    for measure in FLOW_MEASURES:
        names = (measure.name, *MEASURE_SYNONYMS.get(measure.code, ()))
        month, ytd = EXAMPLE_MONTHLY.get(measure.code, (None, None))
        columns.append(
            Column(
                f"{measure.code}_month",
                f"{measure.name}·本月",
                DECIMAL,
                unit=measure.unit,
                synonyms=tuple(f"{name}{word}" for name in names for word in MONTH_WORDS)
                + tuple(f"{word}{name}" for name in names for word in MONTH_WORDS),
                minimum=_measure_bounds(measure),
                example=month,
            )
        )
        columns.append(
            Column(
                f"{measure.code}_ytd",
                f"{measure.name}·1-本月累计",
                DECIMAL,
                unit=measure.unit,
                synonyms=tuple(f"{name}{word}" for name in names for word in YTD_WORDS if word != "1-本月累计")
                + tuple(f"{word}{name}" for name in names for word in YTD_WORDS),
                minimum=_measure_bounds(measure),
                example=ytd,
            )
        )
    employees = next(m for m in ENTERPRISE_MEASURES if m.code == "employees")
    columns.append(
        Column(
            "employees",
            employees.name,
            INTEGER,
            unit=employees.unit,
            synonyms=MEASURE_SYNONYMS["employees"],
            minimum=Decimal(0),
            example=356,
        )
    )
    return tuple(columns)


def _annual_measure_columns() -> tuple[Column, ...]:
    examples = {
        "revenue": Decimal("15200.00"),
        "output": Decimal("15800.00"),
        "value_added": Decimal("3900.00"),
        "profit": Decimal("860.00"),
        "tax": Decimal("480.00"),
        "rd_expense": Decimal("720.00"),
        "energy_tce": Decimal("2600.00"),
        "export_value": Decimal("300.00"),
        "employees": 356,
        "land_mu": Decimal("85.50"),
        "rd_staff": 48,
    }
    columns = []
    for measure in (*ENTERPRISE_MEASURES, *ANNUAL_EXTRA_MEASURES):
        integer = measure.unit == "人"
        columns.append(
            Column(
                measure.code,
                measure.name,
                INTEGER if integer else DECIMAL,
                unit=measure.unit,
                synonyms=MEASURE_SYNONYMS.get(measure.code, ()),
                minimum=_measure_bounds(measure),
                example=examples.get(measure.code),
            )
        )
    return tuple(columns)


PARK_MEASURE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "built_area_km2": ("建成区", "建成面积"),
    "industrial_land_mu": ("工业用地", "工业用地规模"),
    "fixed_asset_investment": ("固投", "固定资产投资额"),
    "industrial_investment": ("工业投资额",),
    "new_project_investment": ("新建项目投资",),
    "new_project_land_mu": ("新建项目用地",),
    "service_staff": ("服务人员数", "园区服务人员"),
    "smart_subsystems": ("智慧平台子系统数", "应用子系统数", "智慧化平台应用子系统数"),
    "facility_kinds": ("配套设施种类", "配套设施种类数"),
    "renewable_share": ("可再生能源比例", "可再生能源占比", "可再生能源使用占比"),
    "safety_accidents": ("安全生产事故数", "较大及以上安全事故数"),
    "environmental_accidents": ("环境事件数", "突发环境事件"),
}
PARK_EXAMPLES: dict[str, Any] = {
    "built_area_km2": Decimal("6.80"),
    "industrial_land_mu": Decimal("5200.00"),
    "fixed_asset_investment": Decimal("425000.00"),
    "industrial_investment": Decimal("310000.00"),
    "new_project_investment": Decimal("98000.00"),
    "new_project_land_mu": Decimal("260.00"),
    "service_staff": 45,
    "smart_subsystems": 6,
    "facility_kinds": 9,
    "renewable_share": Decimal("18.50"),
    "safety_accidents": 0,
    "environmental_accidents": 0,
}


def _park_measure_columns() -> tuple[Column, ...]:
    columns = []
    for measure in PARK_MEASURES:
        integer = measure.unit in ("人", "个", "种", "起")
        percent = measure.unit == "%"
        columns.append(
            Column(
                measure.code,
                measure.name,
                PERCENT if percent else INTEGER if integer else DECIMAL,
                unit=measure.unit,
                synonyms=PARK_MEASURE_SYNONYMS.get(measure.code, ()),
                minimum=Decimal(0),
                maximum=Decimal(100) if percent else None,
                example=PARK_EXAMPLES.get(measure.code),
            )
        )
    return tuple(columns)


COORDINATE_PLACES = Decimal("0.0000001")
COORDINATE_SYSTEMS = (("wgs84", "WGS84"), ("gcj02", "GCJ-02（高德/腾讯）"))


def coordinate_columns(lon_note: str = "十进制度") -> tuple[Column, Column, Column]:
    """经度, 纬度 and 坐标系 as every template with a point has them (enterprises, 载体); the
    coordinates are checked by `intake.validation.check_coordinates`."""
    return (
        Column(
            "lon",
            "经度",
            DECIMAL,
            places=COORDINATE_PLACES,
            max_digits=None,
            synonyms=("经度坐标", "longitude"),
            note=lon_note,
        ),
        Column(
            "lat",
            "纬度",
            DECIMAL,
            places=COORDINATE_PLACES,
            max_digits=None,
            synonyms=("纬度坐标", "latitude"),
            note="十进制度",
        ),
        Column(
            "coordinate_system",
            "坐标系",
            CHOICE,
            choices=COORDINATE_SYSTEMS,
            choice_synonyms=(("高德", "gcj02"), ("腾讯", "gcj02"), ("gcj-02", "gcj02"), ("wgs-84", "wgs84")),
            note="默认 WGS84；高德、腾讯地图坐标为 GCJ-02",
        ),
    )


def _choices(pairs: Any) -> tuple[tuple[str, str], ...]:
    return tuple((str(code), str(label)) for code, label in pairs)


LEVEL_CHOICES = tuple((code, label) for code, label in _choices(LabelLevel.choices) if code)

# ---------------------------------------------------------------- the kinds

KINDS: dict[str, KindSpec] = {}


def _add(spec: KindSpec) -> None:
    KINDS[spec.code] = spec


_add(
    KindSpec(
        Kind.ENTERPRISES,
        "企业名录",
        (
            USCC_COLUMN,
            Column(
                "name",
                "企业名称",
                TEXT,
                required=True,
                synonyms=("单位名称", "企业全称", "名称"),
                max_length=120,
                note="新企业必填；已有企业填写则更新",
                example="武汉示例光电科技有限公司",
            ),
            Column(
                "industry",
                "行业代码",
                TEXT,
                required=True,
                synonyms=("行业小类", "行业小类代码", "国民经济行业代码", "行业分类代码", "所属行业代码"),
                note="GB/T 4754-2017 小类，如 C3976",
                example="C3976",
            ),
            district_column(
                cell_required=False,
                more_synonyms=("所属区/开发区", "区/开发区"),
                note="区或开发区名称（或代码）",
            ),
            park_column(note="园区名称或编码；留空则按坐标自动落园"),
            Column(
                "address",
                "地址",
                TEXT,
                synonyms=("注册地址", "生产经营地址", "详细地址"),
                max_length=200,
                example="武汉市江夏区示例大道1号",
            ),
            *coordinate_columns(),
            Column("founded_on", "成立日期", DATE, synonyms=("成立时间", "注册日期"), example="2015-03-18"),
        ),
        (
            "按统一社会信用代码新增或更新企业：代码已在名录中的企业按所填内容更新（留空的单元格保持原值），否则新增。",
            "新增企业须填写企业名称、行业代码（GB/T 4754-2017 小类，如 C3976）和所属区。",
            "区级用户只能登记本区企业，园区运营用户只能登记本园区企业。",
            "填写经纬度的企业按坐标自动落入园区；填写“所在园区”则以所填为准。",
        ),
        "企业名录",
    )
)

_add(
    KindSpec(
        Kind.MONTHLY,
        "企业月度统计（规上）",
        (
            USCC_COLUMN,
            NAME_CHECK_COLUMN,
            Column(
                "period",
                "报告期",
                MONTH,
                required=True,
                cell_required=True,
                synonyms=("统计期", "统计月份", "报告月份", "月份", "所属期", "期别"),
                note="如 2026-06、2026年6月、202606；1-2月合报填“2026年1-2月”",
                example="2026-06",
            ),
            *_monthly_columns(),
        ),
        (
            "每行是一家规上工业企业一个月的报表：“本月”和“1-本月累计”各一列，金额单位万元。",
            "表头写“元”或“亿元”的列会自动换算为万元。",
            "1-2月合并报送时，报告期填“2026年1-2月”，不再单独报1月。",
            "同一年内“1-本月累计”不能比上月小；“本月”应等于本月累计减上月累计（允许少量误差）。",
            "同一企业同一报告期已有数据时，新值替换旧值，旧值保存为修订记录，可随批次回滚。",
        ),
        "企业月度统计",
        stats=True,
    )
)

_add(
    KindSpec(
        Kind.ANNUAL,
        "企业年度数据",
        (
            USCC_COLUMN,
            NAME_CHECK_COLUMN,
            Column(
                "year",
                "年度",
                YEAR,
                required=True,
                cell_required=True,
                synonyms=("统计年度", "年份", "报告年度"),
                example=2025,
            ),
            *_annual_measure_columns(),
        ),
        (
            "每行是一家企业一个年度的数据（全部企业，不限规上）。金额单位万元；表头写“元”或“亿元”会自动换算。",
            "同一企业同一年度已有数据时，新值替换旧值，旧值保存为修订记录，可随批次回滚。",
        ),
        "企业年度数据",
        stats=True,
    )
)

_add(
    KindSpec(
        Kind.PARK_ANNUAL,
        "园区年度数据",
        (
            PARK_CODE_COLUMN,
            Column(
                "year", "年度", YEAR, required=True, cell_required=True, synonyms=("统计年度", "年份"), example=2025
            ),
            *_park_measure_columns(),
        ),
        (
            "每行是一个园区一个年度的数据。园区运营用户只能填报本园区，区级用户只能填报本区园区。",
            "可再生能源使用比例填百分数（如 18.5 表示 18.5%）。",
        ),
        "园区年度数据",
        stats=True,
    )
)

LABEL_KIND_SYNONYMS = (
    ("高企", LabelKind.HIGH_TECH),
    ("国家高新技术企业", LabelKind.HIGH_TECH),
    ("规上企业", LabelKind.ABOVE_SCALE),
    ("规模以上工业企业", LabelKind.ABOVE_SCALE),
    ("专精特新企业", LabelKind.SRDI),
    ("专精特新中小企业", LabelKind.SRDI),
    ("专精特新“小巨人”企业", LabelKind.SRDI),
    ("小巨人", LabelKind.SRDI),
    ("单项冠军", LabelKind.SINGLE_CHAMPION),
    ("瞪羚", LabelKind.GAZELLE),
    ("独角兽", LabelKind.UNICORN),
    ("链主", LabelKind.CHAIN_LEADER),
    ("绿色供应链", LabelKind.GREEN_SUPPLY_CHAIN),
    ("绿色供应链管理示范企业", LabelKind.GREEN_SUPPLY_CHAIN),
    ("绿色产品", LabelKind.GREEN_PRODUCT),
)

_add(
    KindSpec(
        Kind.LABELS,
        "认定名单",
        (
            Column(
                "kind",
                "称号类别",
                CHOICE,
                required=True,
                cell_required=True,
                choices=_choices(LabelKind.choices),
                choice_synonyms=LABEL_KIND_SYNONYMS,
                synonyms=("称号", "认定类别", "类别", "名单类别"),
                example="高新技术企业",
            ),
            Column(
                "level",
                "级别",
                CHOICE,
                choices=LEVEL_CHOICES,
                choice_synonyms=(("国家", "national"), ("省", "provincial"), ("市", "municipal")),
                synonyms=("认定级别", "层级"),
                note="专精特新、绿色工厂、绿色供应链管理企业、绿色设计产品必填",
                example="",
            ),
            USCC_COLUMN,
            NAME_CHECK_COLUMN,
            Column(
                "certificate_no",
                "证书编号",
                TEXT,
                synonyms=("证书号", "编号", "证书号码"),
                max_length=60,
                example="GR202542000123",
            ),
            Column(
                "valid_from",
                "认定日期",
                DATE,
                required=True,
                cell_required=True,
                synonyms=("发证日期", "生效日期", "认定时间", "批准日期"),
                example="2025-11-20",
            ),
            Column(
                "valid_to",
                "有效期至",
                DATE,
                synonyms=("失效日期", "有效期截止", "到期日期", "截止日期"),
                note="留空：高新技术企业按3年计，其他称号长期有效",
            ),
            Column(
                "source",
                "来源",
                TEXT,
                synonyms=("文件来源", "发文", "认定文件"),
                max_length=100,
                example="鄂科技发〔2025〕1号",
            ),
            Column(
                "products",
                "入选产品",
                TEXT,
                synonyms=("产品名称", "绿色设计产品名称", "产品"),
                max_length=2000,
                note="绿色设计产品：入选产品名称，以“、”分隔；按产品计数，未填按1项计",
            ),
        ),
        (
            "每行是一家企业的一项称号（高新技术企业、专精特新、绿色工厂……）。企业须已在名录中。",
            "同一企业、称号、级别、认定日期的记录已存在时，按所填内容更新证书编号、有效期和来源。",
            "专精特新和绿色工厂须填写级别（国家级/省级/市级）。",
        ),
        "认定名单",
    )
)

_add(
    KindSpec(
        Kind.LAND,
        "土地",
        (
            Column(
                "code",
                "地块编号",
                TEXT,
                required=True,
                cell_required=True,
                synonyms=("宗地编号", "地块代码", "宗地号"),
                max_length=40,
                example="JX-2025-001",
            ),
            district_column(cell_required=True),
            park_column(note="园区外的地块留空", example="江夏现代产业园"),
            Column(
                "enterprise_uscc",
                "使用企业统一社会信用代码",
                USCC,
                synonyms=("使用企业信用代码", "用地企业统一社会信用代码", "企业统一社会信用代码"),
                note="可选；企业须已在名录中",
            ),
            Column(
                "area_mu",
                "面积",
                DECIMAL,
                unit="亩",
                required=True,
                cell_required=True,
                synonyms=("用地面积", "宗地面积", "地块面积"),
                minimum=Decimal("0.01"),
                max_digits=12,
                example=Decimal("120.50"),
            ),
            Column(
                "use",
                "用途",
                CHOICE,
                required=True,
                cell_required=True,
                choices=_choices(LandParcel.Use.choices),
                synonyms=("土地用途", "用地性质", "用地类型"),
                example="一类工业用地",
            ),
            Column(
                "supply_method",
                "供地方式",
                CHOICE,
                required=True,
                cell_required=True,
                choices=_choices(LandParcel.SupplyMethod.choices),
                synonyms=("供应方式", "出让方式"),
                example="出让",
            ),
            Column(
                "supplied_on", "供地日期", DATE, synonyms=("供应日期", "出让日期", "签约日期"), example="2024-09-30"
            ),
        ),
        (
            "按地块编号新增或更新地块。面积单位亩；表头写“公顷”或“平方米”会自动换算。",
            "区级用户只能登记本区地块，园区运营用户只能登记本园区地块。",
        ),
        "土地",
    )
)

_add(
    KindSpec(
        Kind.PRICE_INDEX,
        "工业生产者出厂价格指数",
        (
            Column(
                "division",
                "行业大类代码",
                TEXT,
                required=True,
                cell_required=True,
                synonyms=("行业大类", "大类代码", "行业代码", "国民经济行业大类代码"),
                max_length=5,
                note="GB/T 4754-2017 大类，如 C39；全部工业不在此填报",
                example="C39",
            ),
            Column(
                "period",
                "报告期",
                MONTH,
                required=True,
                cell_required=True,
                synonyms=("统计期", "统计月份", "报告月份", "月份"),
                note="如 2026-06、2026年6月",
                example="2026-06",
            ),
            Column(
                "month_index",
                "当月指数",
                DECIMAL,
                synonyms=("当月", "当月同比指数", "同比指数"),
                minimum=Decimal("0.01"),
                maximum=Decimal("999.99"),
                max_digits=8,
                note="上年同月=100",
                example=Decimal("98.70"),
            ),
            Column(
                "ytd_index",
                "1-本月累计指数",
                DECIMAL,
                synonyms=("累计", "累计指数", "1-本月累计", "累计同比指数"),
                minimum=Decimal("0.01"),
                maximum=Decimal("999.99"),
                max_digits=8,
                note="上年同期=100；可比价增速按此指数把1-本月累计增加值换算为上年价格",
                example=Decimal("99.10"),
            ),
            Column(
                "source",
                "数据来源",
                TEXT,
                synonyms=("来源", "资料来源"),
                max_length=200,
                note="发布机关和出处，如 湖北省统计局《统计月报》2026年6月",
                example="湖北省统计局《统计月报》2026年6月",
            ),
        ),
        (
            "每行是一个国民经济行业大类一个月的工业生产者出厂价格指数，按统计局发布的数填写，两种指数至少填一种。",
            "“当月指数”以上年同月为100，“1-本月累计指数”以上年同期为100（如 98.7 表示价格下降1.3%）。",
            "平台以“1-本月累计指数”把规上工业增加值（1-本月累计）换算为上年价格，计算可比价增速。",
            "只有市级管理员可以导入：价格指数是全市共用的数据。同一大类同一月份已有数据时，新值替换旧值，旧值保存为修订记录。",
        ),
        "工业生产者出厂价格指数",
        stats=True,
    )
)

KIND_ALIASES = {fold_key: code for code, spec in KINDS.items() for fold_key in (code, spec.label, spec.file_stem)}


def kind_spec(name: str) -> KindSpec:
    """The kind by its code (monthly) or Chinese name (企业月度统计); KeyError otherwise."""
    code = KIND_ALIASES.get(name.strip()) or KIND_ALIASES.get(name.strip().lower())
    if code is None:
        raise KeyError(name)
    return KINDS[code]
