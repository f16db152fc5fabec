"""The import kinds of 精准招商, through the intake pipeline (template, header synonyms, cell checks
with row, column and rule, all-or-nothing write in the batch's transaction):

- 载体 (`investment_sites`): a park's or a district's vacant land parcels and building floors. Each
  row adds a 载体 or updates the one with its code through `services.site_upsert` (scope checked,
  audited); the same rows again change nothing.
- 招商目标企业 (`target_firms`): firms for the target-company library. A row whose credit code is in
  the library already is left as it is (never a second entry), with a warning naming the entry; a
  row whose normalised name is close to an entry's (rapidfuzz, as `services.candidate_duplicates`)
  is shown as a warning with the close names, so the importer confirms by writing the checked file;
  each new firm goes through `services.candidate_create` (audited). The library is read once per
  check and once per write (`services.candidate_library()`).
- 招商项目 (`investment_projects`): a district's register; each row a project at 线索 through
  `services.project_create`, then its dated stage moves one by one through `project_advance`
  (checked first against the pack's rules for the whole file).
- 链主采购环节 (`supply_links`): the chain nodes a local 链主 buys from, through
  `services.supply_link_upsert` (scope checked, audited).

Registered with the intake pipeline in `InvestmentConfig.ready()` through
`intake_kind_register`, since intake sits below this app and imports none of it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from yuanqu.core.models import User
from yuanqu.core.permissions import WriteDenied, role_of
from yuanqu.core.roles import Role
from yuanqu.intake.kinds import (
    CHOICE,
    DATE,
    DECIMAL,
    INTEGER,
    TEXT,
    USCC,
    YEAR,
    Column,
    KindSpec,
    coordinate_columns,
    district_column,
    park_column,
)
from yuanqu.intake.services import CREATED, UNCHANGED, UPDATED, Progress, _write_each, intake_kind_register
from yuanqu.intake.validation import (
    WARNING,
    Record,
    Validation,
    _check_write_scope,
    _districts,
    _resolve_district_and_park,
    _visible_parks,
    check_coordinates,
    check_duplicates,
    resolve_enterprises,
)
from yuanqu.investment import figures, services
from yuanqu.investment.matching import investor_key
from yuanqu.investment.models import PIPELINE, Candidate, Site, Stage, StageChange
from yuanqu.registry.models import ChainNode, Enterprise, IndustryClass
from yuanqu.stats.models import ImportBatch

MSG_SITE_OUT_OF_SCOPE = "载体“{code}”已存在且不在您的权限范围内"
MSG_SITE_NEEDS = "{kind}须填写“{field}”"

KIND_CHOICES = tuple((str(code), str(label)) for code, label in Site.Kind.choices)

SITES = KindSpec(
    ImportBatch.Kind.INVESTMENT_SITES,
    "载体",
    (
        Column(
            "code",
            "载体编号",
            TEXT,
            required=True,
            cell_required=True,
            synonyms=("载体代码", "编号", "地块编号", "厂房编号"),
            max_length=40,
            example="JX-ZT-001",
        ),
        Column(
            "name",
            "名称",
            TEXT,
            required=True,
            cell_required=True,
            synonyms=("载体名称",),
            max_length=120,
            example="江夏标准厂房3号楼2层",
        ),
        Column(
            "kind",
            "类别",
            CHOICE,
            required=True,
            cell_required=True,
            choices=KIND_CHOICES,
            choice_synonyms=(("地块", "land"), ("用地", "land"), ("厂房", "floor"), ("楼层", "floor")),
            synonyms=("载体类别", "类型"),
            example="厂房楼层",
        ),
        district_column(cell_required=True),
        park_column(note="园区外的载体留空", example="江夏现代产业园"),
        Column("planned_use", "规划用途", TEXT, synonyms=("用地性质", "用途"), max_length=40, example="一类工业用地"),
        Column(
            "area_mu",
            "土地面积",
            DECIMAL,
            unit="亩",
            synonyms=("用地面积", "地块面积"),
            minimum=Decimal("0.01"),
            maximum=Decimal("99999999.99"),
            max_digits=10,
            note="土地必填",
        ),
        Column("plot_ratio", "容积率", DECIMAL, minimum=Decimal(0), maximum=Decimal("99.99"), max_digits=4),
        Column(
            "floor_area_m2",
            "建筑面积",
            INTEGER,
            unit="平方米",
            synonyms=("面积", "楼层面积"),
            minimum=Decimal(1),
            maximum=Decimal(2147483647),
            note="厂房楼层必填",
            example=3200,
        ),
        Column(
            "floor_load_kn",
            "楼面荷载",
            DECIMAL,
            unit="kN/㎡",
            synonyms=("荷载", "楼面荷载（kN/m²）", "楼面荷载（kN/m2）"),
            minimum=Decimal(0),
            maximum=Decimal("9999.9"),
            places=Decimal("0.1"),
            max_digits=5,
            example=Decimal("8.0"),
        ),
        Column(
            "clear_height_m",
            "层高/净高",
            DECIMAL,
            unit="米",
            synonyms=("层高", "净高"),
            minimum=Decimal(0),
            maximum=Decimal("999.9"),
            places=Decimal("0.1"),
            max_digits=4,
            example=Decimal("6.5"),
        ),
        Column(
            "power_kva",
            "供电容量",
            INTEGER,
            unit="kVA",
            synonyms=("配电容量", "电力容量"),
            minimum=Decimal(0),
            maximum=Decimal(2147483647),
            example=800,
        ),
        Column("price", "租售价格", TEXT, synonyms=("价格", "租金", "出让价格"), max_length=60, example="25元/㎡·月"),
        Column(
            "available_on",
            "可用日期",
            DATE,
            required=True,
            cell_required=True,
            synonyms=("可交付日期", "可入驻日期"),
            example="2026-09-30",
        ),
        Column("owner_name", "权属单位", TEXT, synonyms=("业主", "产权单位"), max_length=100, example="江夏产投集团"),
        Column(
            "confirmed_on",
            "信息确认日期",
            DATE,
            synonyms=("确认日期", "更新日期"),
            note="留空按导入当天",
        ),
        *coordinate_columns("十进制度；留空则在地图上画在园区中心"),
    ),
    (
        "每行是一处载体：空置土地（填土地面积，单位亩）或标准厂房、工业上楼的一层（填建筑面积，单位平方米）。",
        "按载体编号新增或更新：同一文件再次导入不会重复登记。区级用户只能登记本区载体，园区运营用户只能登记本园区载体。",
        "楼面荷载、层高/净高、供电容量用于智慧选址：空着的项视为不满足项目的该项要求。",
        "经度、纬度须同时填写且在本市范围内，智慧选址地图按坐标画出载体；未填坐标的载体画在所在园区的中心。",
    ),
    "载体",
)


def check_sites(result: Validation, user: User) -> None:
    from yuanqu.registry.region import basemap_path, region_chinese

    basemap, region = basemap_path(), region_chinese()
    check_duplicates(result, lambda r: r.values.get("code"), "载体编号", "code")
    districts, parks = _districts(), _visible_parks(user)
    codes = sorted({r.values["code"] for r in result.records if r.values.get("code")})
    existing = {site.code: site for site in Site.objects.filter(code__in=codes).only("pk", "code", "park_id")}
    visible = set(Site.objects.visible_to(user).filter(code__in=list(existing)).values_list("code", flat=True))
    for record in result.records:
        if "duplicate" in record.refs:
            continue
        site = existing.get(record.values.get("code") or "")
        if site is not None and site.code not in visible:
            result.add(record, "code", MSG_SITE_OUT_OF_SCOPE.format(code=site.code))
            continue
        _resolve_district_and_park(result, user, record, districts, parks, district_required=True)
        _check_write_scope(result, user, record, current_park_id=site.park_id if site is not None else None)
        kind = record.values.get("kind")
        if kind == Site.Kind.LAND and record.values.get("area_mu") is None:
            result.add(record, "area_mu", MSG_SITE_NEEDS.format(kind="土地", field="土地面积（亩）"))
        elif kind == Site.Kind.FLOOR and record.values.get("floor_area_m2") is None:
            result.add(record, "floor_area_m2", MSG_SITE_NEEDS.format(kind="厂房楼层", field="建筑面积（平方米）"))
        check_coordinates(result, record, basemap=basemap, region=region)


# The 载体 fields the import writes cell by cell: what `site_upsert` takes, but for the place and the
# coordinates, which come resolved (`refs`) rather than as cells.
FIELDS = tuple(name for name in services.SITE_IMPORT_FIELDS if name not in ("district_id", "park_id", "lon", "lat"))
TEXT_FIELDS = ("planned_use", "price", "owner_name")


def _write(
    actor: User, batch: ImportBatch, records: list[Record], validation: Validation, progress: Progress | None
) -> dict[str, int]:
    mapped = set(validation.mapping.columns) if validation.mapping else set()

    def write_one(record: Record) -> str:
        values: dict[str, object] = {"district_id": record.refs["district"].pk}
        if "park" in mapped:
            values["park_id"] = record.refs["park"].pk if "park" in record.refs else None
        for name in FIELDS:
            if name not in mapped:
                continue
            value = record.values.get(name)
            if value is None and name == "confirmed_on":
                continue  # an empty cell: a new 载体 is confirmed today, a known one keeps its date
            values[name] = "" if value is None and name in TEXT_FIELDS else value
        if "lon" in mapped or "lat" in mapped:
            # Stored in WGS84 to seven places, so that the export imports back unchanged.
            point = record.refs.get("wgs84")
            values["lon"], values["lat"] = (round(point[0], 7), round(point[1], 7)) if point else (None, None)
        try:
            answer = services.site_upsert(
                actor=actor, code=record.values["code"], values=values, detail=f"导入批次#{batch.pk}"
            )
        except WriteDenied as denied:
            raise ValidationError(str(denied)) from None
        return {"created": CREATED, "updated": UPDATED}.get(answer, UNCHANGED)

    return _write_each(records, validation, progress, write_one)


def _rows(user: Any) -> Iterator[list[Any]]:
    kinds = dict(Site.Kind.choices)
    for site in Site.objects.visible_to(user).select_related("district", "park").order_by("code"):
        yield [
            site.code,
            site.name,
            str(kinds[site.kind]),
            site.district.name,
            site.park.code if site.park is not None else "",
            site.planned_use,
            float(site.area_mu) if site.area_mu is not None else None,
            float(site.plot_ratio) if site.plot_ratio is not None else None,
            site.floor_area_m2,
            float(site.floor_load_kn) if site.floor_load_kn is not None else None,
            float(site.clear_height_m) if site.clear_height_m is not None else None,
            site.power_kva,
            site.price,
            site.available_on.isoformat(),
            site.owner_name,
            site.confirmed_on.isoformat(),
            site.lon,
            site.lat,
            "WGS84" if site.lon is not None else "",
        ]


# ── 招商目标企业 ─────────────────────────────────────────────────────────────────────────────

MSG_IN_LIBRARY = "目标企业库已有统一社会信用代码为“{uscc}”的企业：{name}，该行不再登记"
MSG_IN_LIBRARY_BY_NAME = (
    "目标企业库已有同名企业：{name}（名称归一后相同，且至少一方未填统一社会信用代码），该行不再登记"
)
MSG_SIMILAR = "目标企业库已有名称相近的企业：{names}；写入即确认不是同一企业，如为同一企业请删除该行"
MSG_SAME_NAME_IN_FILE = "与第{other}行的企业名称归一后相同（{key}），且至少一行未填统一社会信用代码"
MSG_NODE_UNKNOWN = "产业链环节“{value}”不存在"
MSG_NODE_AMBIGUOUS = "产业链环节“{value}”在多条产业链中出现，请写作“产业链/环节”"
MSG_INDUSTRY_UNKNOWN = "行业代码“{code}”不是《国民经济行业分类》(GB/T 4754-2017)的小类"
NODE_SEPARATORS = ("、", "，", ",", "；", ";")
TOP500_LISTS = (("top500_world", "世界500强"), ("top500_china", "中国500强"), ("top500_private", "中国民营500强"))

TARGET_FIRMS = KindSpec(
    ImportBatch.Kind.TARGET_FIRMS,
    "招商目标企业",
    (
        Column(
            "uscc",
            "统一社会信用代码",
            USCC,
            synonyms=("社会信用代码", "信用代码", "USCC"),
            note="已知时填写，用于去重",
            example="91440300MA5FUTAR0X",
        ),
        Column(
            "name",
            "企业名称",
            TEXT,
            required=True,
            cell_required=True,
            synonyms=("名称", "目标企业", "企业"),
            max_length=120,
            example="深圳星河光电股份有限公司",
        ),
        Column("industry", "行业代码", TEXT, synonyms=("行业小类", "国民经济行业代码"), max_length=5, example="C3976"),
        Column(
            "nodes",
            "产业链环节",
            TEXT,
            synonyms=("环节", "所属环节"),
            max_length=300,
            note="多个环节用顿号分隔；同名环节写作“产业链/环节”",
        ),
        Column("hq_region", "总部所在地", TEXT, synonyms=("总部", "总部地区"), max_length=40, example="广东省深圳市"),
        Column(
            "size_band",
            "规模",
            CHOICE,
            required=True,
            cell_required=True,
            choices=tuple((str(code), str(label)) for code, label in Candidate.SizeBand.choices),
            synonyms=("企业规模", "规模档次"),
            example="大型",
        ),
        Column(
            "listing",
            "上市情况",
            CHOICE,
            choices=tuple((str(code), str(label)) for code, label in Candidate.Listing.choices if code),
            choice_synonyms=(("A股上市", "a"), ("港股上市", "hk"), ("美股上市", "us")),
            synonyms=("上市", "上市板块"),
            note="未上市留空",
            example="A股",
        ),
        *(
            Column(key, f"{label}（年度）", YEAR, synonyms=(label,), note=f"入选{label}的榜单年度，未入选留空")
            for key, label in TOP500_LISTS
        ),
        Column("source", "来源", TEXT, synonyms=("信息来源",), max_length=100, example="2026年光谷推介会"),
        Column("source_date", "来源日期", DATE, synonyms=("日期",), example="2026-03-02"),
    ),
    (
        "每行是一家园区外的目标企业（招商目标企业库）。统一社会信用代码已在库中的企业不再登记。",
        "企业名称归一后（去掉括号、地名和公司类型）与库中企业相近的，检查结果中列出相近的名称：写入即确认不是同一企业。",
        "市级、区级和园区招商用户均可导入；目标企业库对市、区、园区招商用户共享。",
    ),
    "招商目标企业",
)


def _node_lookup() -> tuple[dict[str, list[ChainNode]], dict[str, ChainNode]]:
    by_name: dict[str, list[ChainNode]] = {}
    by_path: dict[str, ChainNode] = {}
    for node in ChainNode.objects.select_related("chain"):
        by_name.setdefault(node.name, []).append(node)
        by_path[f"{node.chain.name}/{node.name}"] = node
    return by_name, by_path


def check_target_firms(result: Validation, user: User) -> None:
    check_duplicates(result, lambda r: r.values.get("uscc"), "统一社会信用代码", "uscc")
    by_name, by_path = _node_lookup()
    classes = set(IndustryClass.objects.filter(level=IndustryClass.Level.CLASS).values_list("code", flat=True))
    library = services.candidate_library()  # read once for every row (matching.LibraryIndex)
    seen: dict[str, tuple[int, str]] = {}  # normalised name → (first row, its credit code)
    for record in result.records:
        if record.failed:
            continue
        values = record.values
        code = values.get("industry")
        if code and code.upper() not in classes:
            result.add(record, "industry", MSG_INDUSTRY_UNKNOWN.format(code=code))
        nodes: list[ChainNode] = []
        text = values.get("nodes") or ""
        for separator in NODE_SEPARATORS:
            text = text.replace(separator, "、")
        for part in (p.strip() for p in text.split("、") if p.strip()):
            found = by_path.get(part.replace("／", "/"))
            if found is None:
                named = by_name.get(part, [])
                if len(named) > 1:
                    result.add(record, "nodes", MSG_NODE_AMBIGUOUS.format(value=part))
                    continue
                found = named[0] if named else None
            if found is None:
                result.add(record, "nodes", MSG_NODE_UNKNOWN.format(value=part))
            else:
                nodes.append(found)
        record.refs["nodes"] = nodes
        key = investor_key(values.get("name") or "")
        uscc = values.get("uscc") or ""
        earlier = seen.get(key)
        if earlier is not None and (not uscc or not earlier[1]):
            result.add(record, "name", MSG_SAME_NAME_IN_FILE.format(other=earlier[0], key=key))
            continue
        seen.setdefault(key, (record.row, uscc))
        same = library.by_uscc(uscc)
        if same is not None:
            result.add(record, "uscc", MSG_IN_LIBRARY.format(uscc=same.uscc, name=same.name), WARNING)
            record.refs["known"] = same
            continue
        # Where either side has no credit code, the same normalised name is the same firm; a close one
        # is shown for the importer to confirm (as services.candidate_duplicates).
        exact = library.by_name(key, uscc=uscc)
        if exact is not None:
            result.add(record, "name", MSG_IN_LIBRARY_BY_NAME.format(name=exact.name), WARNING)
            record.refs["known"] = exact
            continue
        similar = library.similar(key, uscc=uscc, unknown_only=True)
        if similar:
            names = "、".join(c.name for c in similar[:5])
            result.add(record, "name", MSG_SIMILAR.format(names=names), WARNING)


def _write_target_firms(
    actor: User, batch: ImportBatch, records: list[Record], validation: Validation, progress: Progress | None
) -> dict[str, int]:
    library = services.candidate_library()  # read once; each new firm is added to it

    def write_one(record: Record) -> str:
        if "known" in record.refs:
            return UNCHANGED
        values = record.values
        top500 = [{"list": label, "year": values[key]} for key, label in TOP500_LISTS if values.get(key)]
        try:
            services.candidate_create(
                actor=actor,
                name=values["name"],
                uscc=values.get("uscc") or "",
                industry_id=(values.get("industry") or "").upper() or None,
                nodes=record.refs.get("nodes", []),
                hq_region=values.get("hq_region") or "",
                size_band=values["size_band"],
                listing=values.get("listing") or "",
                top500=top500,
                source=values.get("source") or f"导入批次#{batch.pk}",
                source_date=values.get("source_date"),
                confirm_similar=True,
                library=library,
            )
        except WriteDenied as denied:
            raise ValidationError(str(denied)) from None
        return CREATED

    return _write_each(records, validation, progress, write_one)


def _target_firm_rows(user: Any) -> Iterator[list[Any]]:
    sizes, listings = dict(Candidate.SizeBand.choices), dict(Candidate.Listing.choices)
    rows = Candidate.objects.visible_to(user).prefetch_related("nodes__chain").order_by("name", "id")
    for row in rows.iterator(chunk_size=2000):
        years = {entry.get("list"): entry.get("year") for entry in row.top500 if isinstance(entry, dict)}
        yield [
            row.uscc,
            row.name,
            row.industry_id or "",
            "、".join(f"{node.chain.name}/{node.name}" for node in row.nodes.all()),
            row.hq_region,
            str(sizes[row.size_band]),
            str(listings[row.listing]) if row.listing else "",
            *(years.get(label) for _key, label in TOP500_LISTS),
            row.source,
            row.source_date.isoformat() if row.source_date else "",
        ]


# ── 招商项目 ─────────────────────────────────────────────────────────────────────────────────

MSG_SOURCE_UNKNOWN = "招商方式“{value}”不在政策包的项目来源中（可填：{names}）"
MSG_PROJECT_KNOWN = "本区已登记同一投资方的同名项目：{number}，该行不再登记"
MSG_PROJECT_FUTURE = "登记日期{on}晚于今天"


def _stage_key(stage: Stage) -> str:
    return f"{stage.value}_on"


def _amount(key: str, header: str, example: Decimal | None = None) -> Column:
    return Column(
        key,
        header,
        DECIMAL,
        unit="亿元",
        minimum=Decimal(0),
        maximum=Decimal("99999999.99"),
        max_digits=10,
        example=example,
    )


PROJECTS = KindSpec(
    ImportBatch.Kind.INVESTMENT_PROJECTS,
    "招商项目",
    (
        Column("name", "项目名称", TEXT, required=True, cell_required=True, max_length=120, example="光模块生产基地"),
        Column(
            "investor_name",
            "投资方",
            TEXT,
            required=True,
            cell_required=True,
            synonyms=("投资方名称", "投资主体", "签约主体"),
            max_length=120,
            example="深圳星河光电股份有限公司",
        ),
        Column(
            "investor_uscc",
            "投资方统一社会信用代码",
            USCC,
            synonyms=("投资方信用代码", "统一社会信用代码"),
            note="已知时填写，用于首谈首报比对",
        ),
        district_column(cell_required=True),
        park_column(note="园区外的项目留空", example="江夏现代产业园"),
        Column("node", "产业链环节", TEXT, synonyms=("环节",), max_length=120, note="同名环节写作“产业链/环节”"),
        Column(
            "source",
            "招商方式",
            TEXT,
            required=True,
            cell_required=True,
            synonyms=("项目来源", "招商来源"),
            max_length=30,
            example="资本招商",
        ),
        _amount("planned_investment", "计划总投资", Decimal("12.50")),
        _amount("fixed_asset_investment", "固定资产投资"),
        _amount("expected_output", "达产年产值"),
        _amount("expected_tax", "达产年税收"),
        Column(
            "land_need_mu",
            "用地需求",
            DECIMAL,
            unit="亩",
            minimum=Decimal(0),
            max_digits=10,
            maximum=Decimal("99999999.99"),
        ),
        Column("floor_need_m2", "厂房需求", INTEGER, unit="平方米", minimum=Decimal(0), maximum=Decimal(2147483647)),
        Column("jobs", "带动就业", INTEGER, unit="人", minimum=Decimal(0), maximum=Decimal(2147483647)),
        Column(
            "registered_on",
            "登记日期",
            DATE,
            synonyms=("首谈日期", "录入日期"),
            note="留空按导入当天",
            example="2026-03-02",
        ),
        *(
            Column(
                _stage_key(stage),
                f"{stage.label}日期",
                DATE,
                synonyms=(f"{stage.label}时间",),
                note="进入该阶段的日期；未到该阶段留空",
            )
            for stage in PIPELINE[1:]
        ),
        Column(
            "enterprise_uscc",
            "落地企业统一社会信用代码",
            USCC,
            synonyms=("落地企业信用代码",),
            note="填写投产日期的必填：本区在库企业",
        ),
        Column(
            "evidence",
            "佐证材料",
            TEXT,
            synonyms=("佐证材料文号", "佐证"),
            max_length=200,
            note="政策包要求佐证的阶段（如签约、供地/注册、开工）须写明文件名称或文号",
        ),
    ),
    (
        "每行是一个招商项目。只填登记日期的项目导入后处于“线索”阶段；填写了各阶段日期的，按阶段规则逐级推进到最后一个填写日期的阶段。",
        "阶段日期须逐级填写、不早于前一阶段、不晚于今天；政策包要求佐证的阶段须在“佐证材料”中写明文件名称或文号，原件可在项目页补传；投产须填写落地企业统一社会信用代码。",
        "同一区内投资方（名称归一后）和项目名称都相同的项目视为已登记，不再重复登记。",
        "与其他区已登记的同一投资方项目冲突的（首谈首报），导入后提交市投促局裁决。",
    ),
    "招商项目",
)


def check_projects(result: Validation, user: User) -> None:
    from django.utils import timezone

    from yuanqu.investment.models import Project
    from yuanqu.investment.rules import rules

    districts, parks = _districts(), _visible_parks(user)
    by_name, by_path = _node_lookup()
    sources = rules().sources
    names = "、".join(source.name for source in sources)
    known = {
        (district_id, key, name): number
        for district_id, key, name, number in Project.objects.values_list(
            "district_id", "investor_key", "name", "number"
        )
    }
    today = timezone.localdate()
    seen: dict[tuple[int, str, str], int] = {}
    wanted = {r.values["enterprise_uscc"] for r in result.records if r.values.get("enterprise_uscc")}
    enterprises = {
        firm.uscc: firm for firm in Enterprise.objects.filter(uscc__in=wanted).only("pk", "uscc", "district_id")
    }
    stage_keys = [_stage_key(stage) for stage in PIPELINE[1:]]
    dated: list[Record] = []  # rows of registered projects that carry stage dates
    for record in result.records:
        if record.failed:
            continue
        values = record.values
        _resolve_district_and_park(result, user, record, districts, parks, district_required=True)
        _check_write_scope(result, user, record)
        text = values.get("source") or ""
        source = next((s for s in sources if text in (s.code, s.name)), None)
        if source is None:
            result.add(record, "source", MSG_SOURCE_UNKNOWN.format(value=text, names=names))
        else:
            record.refs["source"] = source.code
        node_text = (values.get("node") or "").replace("／", "/").strip()
        if node_text:
            found = by_path.get(node_text)
            named = by_name.get(node_text, [])
            if found is None and len(named) > 1:
                result.add(record, "node", MSG_NODE_AMBIGUOUS.format(value=node_text))
            elif found is None and not named:
                result.add(record, "node", MSG_NODE_UNKNOWN.format(value=node_text))
            else:
                record.refs["node"] = found or named[0]
        on = values.get("registered_on")
        if on is not None and on > today:
            result.add(record, "registered_on", MSG_PROJECT_FUTURE.format(on=on.isoformat()))
        district = record.refs.get("district")
        if district is None or record.failed:
            continue
        key = (district.pk, investor_key(values.get("investor_name") or ""), (values.get("name") or "").strip())
        if key in seen:
            result.add(record, "name", MSG_DUPLICATE_PROJECT.format(other=seen[key]))
            continue
        seen[key] = record.row
        if key in known:
            result.add(record, "name", MSG_PROJECT_KNOWN.format(number=known[key]), WARNING)
            record.refs["known"] = known[key]
            if any(values.get(name) for name in stage_keys):
                dated.append(record)
            continue
        check_stage_history(result, user, record, enterprises)
    # A registered project whose row carries stage dates other than its history's is told that they
    # were not imported (the same dates again, as in an export imported back, say nothing).
    histories: dict[str, dict[str, Any]] = defaultdict(dict)
    numbers = [record.refs["known"] for record in dated]
    for number, stage, on in (
        StageChange.objects.filter(project__number__in=numbers)
        .order_by("on", "pk")
        .values_list("project__number", "to_stage", "on")
    ):
        histories[number][stage] = on
    for record in dated:
        entered = histories[record.refs["known"]]
        given = {stage.value: record.values.get(_stage_key(stage)) for stage in PIPELINE[1:]}
        if any(on is not None and entered.get(stage) != on for stage, on in given.items()):
            result.add(record, "name", MSG_STAGE_KNOWN.format(number=record.refs["known"]), WARNING)


MSG_DUPLICATE_PROJECT = "与第{other}行重复（区、投资方和项目名称相同）"
MSG_STAGE_SKIPPED = (
    "项目在“{source}”之后不能变更为“{target}”：请逐级填写中间各阶段的日期（政策包允许的下一阶段：{allowed}）"
)
MSG_STAGE_ROLE = "您的角色（{role}）不能把项目从“{source}”变更为“{target}”"
MSG_STAGE_BEFORE = "{target}日期{on}早于{source}日期{since}"
MSG_STAGE_FUTURE = "{target}日期{on}晚于今天"
MSG_STAGE_EVIDENCE = "从“{source}”变更为“{target}”须有佐证材料（{label}）：请写明文件名称或文号"
MSG_STAGE_ENTERPRISE = "填写了投产日期的项目须填写落地企业统一社会信用代码"
MSG_STAGE_ENTERPRISE_UNKNOWN = "落地企业“{uscc}”不是{district}的在库企业"
MSG_STAGE_KNOWN = "项目已登记（{number}），本表的阶段日期不再导入，请在项目页按阶段规则推进"


def _role_code(user: User) -> str:
    role = role_of(user)
    if role == Role.SYSADMIN:
        return Role.CITY_ADMIN.value
    return role.value if role is not None else ""


def check_stage_history(result: Validation, user: User, record: Record, enterprises: dict[str, Any]) -> None:
    """The dated moves of a row, one by one through the pack's stage rules, as `project_advance`
    will take them: each an allowed transition for the importer's role, dated no earlier than the
    stage before and no later than today, with its evidence named and, at 投产, the firm it became.
    The moves found are kept on the record for the write (`refs["moves"]`)."""
    from django.utils import timezone

    from yuanqu.investment.rules import rules

    config, values, today = rules(), record.values, timezone.localdate()
    dated = [(stage, values[_stage_key(stage)]) for stage in PIPELINE[1:] if values.get(_stage_key(stage))]
    source, since = Stage.LEAD, values.get("registered_on") or today
    since_label = "登记"
    moves: list[tuple[str, Any]] = []
    for stage, on in dated:
        field = _stage_key(stage)
        labels = {"source": str(source.label), "target": str(stage.label)}
        transition = config.transition(source.value, stage.value)
        if transition is None:
            allowed = "、".join(str(Stage(t.target).label) for t in config.transitions if t.source == source.value)
            result.add(record, field, MSG_STAGE_SKIPPED.format(allowed=allowed or "无", **labels))
            return
        if _role_code(user) not in transition.roles:
            role = role_of(user)
            result.add(record, field, MSG_STAGE_ROLE.format(role=role.label if role else "", **labels))
            return
        if on > today:
            result.add(record, field, MSG_STAGE_FUTURE.format(target=stage.label, on=on.isoformat()))
            return
        if on < since:
            result.add(
                record,
                field,
                MSG_STAGE_BEFORE.format(target=stage.label, on=on.isoformat(), source=since_label, since=since),
            )
            return
        if transition.evidence_required and not (values.get("evidence") or "").strip():
            result.add(record, "evidence", MSG_STAGE_EVIDENCE.format(label=transition.evidence_label, **labels))
            return
        if stage == Stage.PRODUCING:
            uscc = values.get("enterprise_uscc") or ""
            district = record.refs.get("district")
            firm = enterprises.get(uscc)
            if not uscc:
                result.add(record, "enterprise_uscc", MSG_STAGE_ENTERPRISE)
                return
            if firm is None or district is None or firm.district_id != district.pk:
                name = district.name if district is not None else ""
                result.add(record, "enterprise_uscc", MSG_STAGE_ENTERPRISE_UNKNOWN.format(uscc=uscc, district=name))
                return
            record.refs["enterprise"] = firm
        moves.append((stage.value, on))
        source, since, since_label = stage, on, str(stage.label)
    record.refs["moves"] = moves


def _write_projects(
    actor: User, batch: ImportBatch, records: list[Record], validation: Validation, progress: Progress | None
) -> dict[str, int]:
    def write_one(record: Record) -> str:
        if "known" in record.refs:
            return UNCHANGED
        values = record.values
        try:
            project = services.project_create(
                actor=actor,
                name=values["name"],
                investor_name=values["investor_name"],
                investor_uscc=values.get("investor_uscc") or "",
                district=record.refs["district"],
                park=record.refs.get("park"),
                chain_node=record.refs.get("node"),
                source=record.refs["source"],
                planned_investment=values.get("planned_investment"),
                fixed_asset_investment=values.get("fixed_asset_investment"),
                expected_output=values.get("expected_output"),
                expected_tax=values.get("expected_tax"),
                land_need_mu=values.get("land_need_mu"),
                floor_need_m2=values.get("floor_need_m2"),
                jobs=values.get("jobs"),
                registered_on=values.get("registered_on"),
            )
            for to_stage, on in record.refs.get("moves", []):
                _advance(actor, batch, project, record, to_stage, on)
        except WriteDenied as denied:
            raise ValidationError(str(denied)) from None
        return CREATED

    counts = _write_each(records, validation, progress, write_one)
    if any(record.refs.get("moves") for record in records):
        figures.refresh(*figures.STAGE_CODES, figures.DELIVERY_RATE)
    return counts


def _advance(actor: User, batch: ImportBatch, project: Any, record: Record, to_stage: str, on: Any) -> None:
    """One dated move of an imported history through the stage service; a refusal found only now
    (a 首谈/首报 conflict the row raised) names the stage's date column, its header and letter."""
    try:
        services.project_advance(
            actor=actor,
            project=project,
            to_stage=to_stage,
            on=on,
            version=project.version,
            note=f"导入批次#{batch.pk}",
            enterprise=record.refs.get("enterprise") if to_stage == Stage.PRODUCING else None,
            evidence_reference=record.values.get("evidence") or "",
            refresh_figures=False,
        )
    except ValidationError as exc:
        raise ValidationError({_stage_key(Stage(to_stage)): exc.messages}) from None


def _project_rows(user: Any) -> Iterator[list[Any]]:
    from yuanqu.investment.models import Project
    from yuanqu.investment.rules import source_name

    rows = Project.objects.visible_to(user).select_related("district", "park", "chain_node__chain", "enterprise")
    rows = rows.prefetch_related("changes")
    for row in rows.order_by("number").iterator(chunk_size=2000):
        node = row.chain_node
        # The date each stage was entered (a project that reached it), as the stage columns take it.
        entered = {change.to_stage: change.on for change in sorted(row.changes.all(), key=lambda c: (c.on, c.pk))}
        yield [
            row.name,
            row.investor_name,
            row.investor_uscc,
            row.district.name,
            row.park.code if row.park is not None else "",
            f"{node.chain.name}/{node.name}" if node is not None else "",
            source_name(row.source),
            *(
                float(value) if value is not None else None
                for value in (row.planned_investment, row.fixed_asset_investment, row.expected_output, row.expected_tax)
            ),
            float(row.land_need_mu) if row.land_need_mu is not None else None,
            row.floor_need_m2,
            row.jobs,
            row.registered_on.isoformat(),
            *(entered[stage].isoformat() if stage in entered else "" for stage in PIPELINE[1:]),
            row.enterprise.uscc if row.enterprise is not None else "",
            "",
        ]


# ── 链主采购环节 ──────────────────────────────────────────────────────────────────────────────

MSG_SUPPLY_NOT_LEADER = "企业“{name}”目前没有有效的链主企业认定：采购环节照常登记，认定有效时才画在产业链图谱上"

SUPPLY_LINKS = KindSpec(
    ImportBatch.Kind.SUPPLY_LINKS,
    "链主采购环节",
    (
        Column(
            "uscc",
            "链主统一社会信用代码",
            USCC,
            required=True,
            cell_required=True,
            synonyms=("统一社会信用代码", "链主信用代码", "信用代码"),
            example="91420100MA4K00001X",
        ),
        Column("name", "链主名称", TEXT, synonyms=("链主企业", "企业名称"), max_length=120, note="用于核对"),
        Column(
            "node",
            "采购环节",
            TEXT,
            required=True,
            cell_required=True,
            synonyms=("供应商环节", "采购的产业链环节", "产业链环节"),
            max_length=120,
            note="链主向其采购的产业链环节；同名环节写作“产业链/环节”",
        ),
        Column("source", "来源", TEXT, synonyms=("信息来源",), max_length=100, example="2026年链主企业走访"),
    ),
    (
        "每行是一家本地链主企业向其采购的一个产业链环节，用于产业链图谱上的采购连线。",
        "按链主企业和采购环节新增：同一文件再次导入不会重复登记。区级用户只能登记本区企业，园区运营用户只能登记本园区企业。",
    ),
    "链主采购环节",
)


def check_supply_links(result: Validation, user: User) -> None:
    from django.utils import timezone

    from yuanqu.registry.models import EnterpriseLabel, LabelKind

    resolve_enterprises(result, user)
    by_name, by_path = _node_lookup()
    for record in result.records:
        if record.failed:
            continue
        text = (record.values.get("node") or "").replace("／", "/").strip()
        found = by_path.get(text)
        named = by_name.get(text, [])
        if found is None and len(named) > 1:
            result.add(record, "node", MSG_NODE_AMBIGUOUS.format(value=text))
        elif found is None and not named:
            result.add(record, "node", MSG_NODE_UNKNOWN.format(value=text))
        else:
            record.refs["node"] = found or named[0]
    check_duplicates(
        result,
        lambda r: (r.values.get("uscc"), r.refs["node"].pk) if "node" in r.refs else None,
        "链主企业和采购环节",
        "node",
    )
    firms = {ref.id for r in result.records if (ref := r.refs.get("enterprise")) is not None}
    leading = set(
        EnterpriseLabel.objects.filter(enterprise_id__in=firms, kind=LabelKind.CHAIN_LEADER)
        .valid_on(timezone.localdate())
        .values_list("enterprise_id", flat=True)
    )
    for record in result.records:
        ref = record.refs.get("enterprise")
        if ref is not None and not record.failed and ref.id not in leading:
            result.add(record, "uscc", MSG_SUPPLY_NOT_LEADER.format(name=ref.name), WARNING)


def _write_supply_links(
    actor: User, batch: ImportBatch, records: list[Record], validation: Validation, progress: Progress | None
) -> dict[str, int]:
    leaders = Enterprise.objects.in_bulk([record.refs["enterprise"].id for record in records])

    def write_one(record: Record) -> str:
        try:
            answer = services.supply_link_upsert(
                actor=actor,
                leader=leaders[record.refs["enterprise"].id],
                node=record.refs["node"],
                source=record.values.get("source") or "",
                detail=f"导入批次#{batch.pk}",
            )
        except WriteDenied as denied:
            raise ValidationError(str(denied)) from None
        return {"created": CREATED, "updated": UPDATED}.get(answer, UNCHANGED)

    return _write_each(records, validation, progress, write_one)


def _supply_link_rows(user: Any) -> Iterator[list[Any]]:
    from yuanqu.investment.models import SupplyLink

    rows = SupplyLink.objects.visible_to(user).select_related("leader", "node__chain")
    for link in rows.order_by("leader__uscc", "node__chain__code", "node__position", "id").iterator(chunk_size=2000):
        yield [link.leader.uscc, link.leader.name, f"{link.node.chain.name}/{link.node.name}", link.source]


def register() -> None:
    """Declare the kinds to the intake pipeline (from ready())."""
    intake_kind_register(spec=SITES, check=check_sites, writer=_write, rows=_rows)
    intake_kind_register(
        spec=TARGET_FIRMS, check=check_target_firms, writer=_write_target_firms, rows=_target_firm_rows
    )
    intake_kind_register(spec=PROJECTS, check=check_projects, writer=_write_projects, rows=_project_rows)
    intake_kind_register(
        spec=SUPPLY_LINKS, check=check_supply_links, writer=_write_supply_links, rows=_supply_link_rows
    )
