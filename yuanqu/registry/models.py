"""布局体系: districts and development zones, parks, enterprises with dated labels, land parcels,
park facilities, industry classes and chains.

Every scoped model's manager is a `ScopedQuerySet` (yuanqu.core.access); the `scope_q` methods here
say what a district user, a park operator and an enterprise user may see."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yuanqu.core.access import ScopedQuerySet, own_scope
from yuanqu.core.roles import Role
from yuanqu.core.uscc import USCCError
from yuanqu.core.uscc import validate as validate_uscc_code

if TYPE_CHECKING:
    from yuanqu.core.models import User


def validate_uscc(value: str) -> None:
    try:
        validate_uscc_code(value)
    except USCCError as exc:
        raise ValidationError(str(exc), code="uscc") from exc


# Reference data (districts, classes, chains, units) is readable by every role that reads the registry.
REGISTRY_READER_ROLES = frozenset({Role.DISTRICT, Role.PARK_OPERATOR, Role.ENTERPRISE, Role.HANDLER})


def import_batch_field() -> models.ForeignKey[Any, Any]:
    """The import batch that last wrote a row (None when entered by hand): the lineage of its figures.
    Named by string: the statistics app sits above the registry."""
    return models.ForeignKey(
        "stats.ImportBatch",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("导入批次"),
    )


class ReferenceQuerySet(ScopedQuerySet[Any]):
    def scope_q(self, user: User) -> Q | None:
        return Q() if user.role in REGISTRY_READER_ROLES else None


class ReferenceData(models.Model):
    """A row of the reference tables every reader of the registry sees (districts, industry classes,
    responsible units, chains), named by its `name`."""

    name: str
    objects = ReferenceQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class District(ReferenceData):
    class Kind(models.TextChoices):
        DISTRICT = "district", _("行政区")
        ZONE = "development_zone", _("功能区/开发区")

    code = models.CharField(_("代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("区/开发区")
        verbose_name_plural = _("区/开发区")
        ordering = ("sort_order", "code")


class IndustryClass(ReferenceData):
    """GB/T 4754-2017 node: 门类 (section), 大类 (division), 中类 (group), 小类 (class)."""

    class Level(models.TextChoices):
        SECTION = "section", _("门类")
        DIVISION = "division", _("大类")
        GROUP = "group", _("中类")
        CLASS = "class", _("小类")

    code = models.CharField(_("代码"), max_length=5, primary_key=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    # 高技术产业（制造业）分类（2017）group of a class, e.g. "01 医药制造业"; blank when not high-tech.
    high_tech_group = models.CharField(_("高技术制造业分组"), max_length=2, blank=True, db_index=True)
    high_tech_group_name = models.CharField(_("高技术制造业分组名称"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("国民经济行业分类")
        verbose_name_plural = _("国民经济行业分类")
        ordering = ("code",)

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_manufacturing(self) -> bool:
        return self.code.startswith("C")


class ResponsibleUnit(ReferenceData):
    """A unit named by the policy as responsible (市经信局 …) or a district government."""

    class Kind(models.TextChoices):
        BUREAU = "bureau", _("市直部门")
        DISTRICT_GOVERNMENT = "district_government", _("区人民政府")
        ZONE_COMMITTEE = "zone_committee", _("开发区管委会")
        GROUP = "group", _("联席会议等单位组")

    code = models.CharField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("区"))
    full_name = models.CharField(_("全称"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("责任单位")
        verbose_name_plural = _("责任单位")
        ordering = ("kind", "code")


class IndustryChain(ReferenceData):
    class Kind(models.TextChoices):
        KEY_CHAIN = "key_chain", _("重点产业链")
        FUTURE_TRACK = "future_track", _("未来产业赛道")

    code = models.CharField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    illustrative = models.BooleanField(_("示意（待官方名单）"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("产业链")
        verbose_name_plural = _("产业链")
        ordering = ("kind", "sort_order", "code")


class ChainNode(models.Model):
    class Stage(models.TextChoices):
        UPSTREAM = "upstream", _("上游")
        MIDSTREAM = "midstream", _("中游")
        DOWNSTREAM = "downstream", _("下游")

    chain = models.ForeignKey(IndustryChain, on_delete=models.CASCADE, related_name="nodes", verbose_name=_("产业链"))
    name = models.CharField(_("环节"), max_length=60)
    stage = models.CharField(_("位置"), max_length=12, choices=Stage.choices)
    # The pack's order (upstream to downstream), which alphabetical stage codes would not give.
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    industry_classes = models.ManyToManyField(IndustryClass, verbose_name=_("对应行业小类"), related_name="chain_nodes")

    class Meta:
        verbose_name = _("产业链环节")
        verbose_name_plural = _("产业链环节")
        ordering = ("chain", "position", "id")
        constraints = [models.UniqueConstraint(fields=("chain", "name"), name="chain_node_unique_name")]

    def __str__(self) -> str:
        return f"{self.chain.name}·{self.name}"


class ParkType(models.TextChoices):
    MODERN = "modern", _("现代产业园")
    FEATURED = "featured", _("特色产业园")
    URBAN = "urban", _("都市工业园")
    UNCLASSIFIED = "unclassified", _("未分类")


class ParkQuerySet(ScopedQuerySet["Park"]):
    def scope_q(self, user: User) -> Q | None:
        return own_scope(user, district="district_id", park="pk", enterprise="enterprises__pk")


class Park(models.Model):
    class Status(models.TextChoices):
        CREATING = "creating", _("创建中")
        RECOGNISED = "recognised", _("已认定")

    class ManagementModel(models.TextChoices):
        COMMITTEE_COMPANY = "committee_company", _("管委会+公司")
        COMMITTEE = "committee", _("管委会")
        STATE_COMPANY = "state_company", _("国有公司运营")
        PRIVATE_COMPANY = "private_company", _("民营公司运营")
        STREET = "street", _("街道（乡镇）管理")
        OTHER = "other", _("其他")

    class GreenLevel(models.TextChoices):
        NONE = "", _("无")
        PROVINCIAL = "provincial", _("省级绿色园区")
        NATIONAL = "national", _("国家级绿色工业园区")

    code = models.CharField(_("园区编码"), max_length=20, unique=True)
    name = models.CharField(_("园区名称"), max_length=80, unique=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="parks", verbose_name=_("所属区"))
    park_type = models.CharField(
        _("园区类型"), max_length=15, choices=ParkType.choices, default=ParkType.UNCLASSIFIED, db_index=True
    )
    status = models.CharField(_("认定状态"), max_length=12, choices=Status.choices, default=Status.CREATING)
    status_since = models.DateField(_("状态起始日期"), null=True, blank=True)
    recognised_on = models.DateField(_("认定日期"), null=True, blank=True)
    lead_chains = models.ManyToManyField(
        IndustryChain, blank=True, related_name="parks", verbose_name=_("主导产业链（至多3条）")
    )
    planned_area_km2 = models.DecimalField(
        _("规划面积（平方公里）"), max_digits=9, decimal_places=3, validators=[MinValueValidator(Decimal("0.001"))]
    )
    boundary = models.JSONField(_("边界（GeoJSON）"), null=True, blank=True)
    boundary_area_km2 = models.DecimalField(
        _("边界面积（平方公里）"), max_digits=9, decimal_places=3, null=True, blank=True, editable=False
    )
    centroid_lon = models.FloatField(_("中心经度"), null=True, blank=True, editable=False)
    centroid_lat = models.FloatField(_("中心纬度"), null=True, blank=True, editable=False)
    operator_name = models.CharField(_("运营主体"), max_length=100, blank=True)
    operator_uscc = models.CharField(
        _("运营主体统一社会信用代码"), max_length=18, blank=True, validators=[validate_uscc]
    )
    management_model = models.CharField(
        _("管理模式"), max_length=20, choices=ManagementModel.choices, default=ManagementModel.COMMITTEE_COMPANY
    )
    smart_platform = models.BooleanField(_("建有智慧化综合管理平台"), default=False)
    smart_subsystems = models.PositiveSmallIntegerField(_("智慧平台应用子系统数"), default=0)
    green_level = models.CharField(_("绿色园区等级"), max_length=12, choices=GreenLevel.choices, blank=True, default="")
    synthetic = models.BooleanField(_("示例数据"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ParkQuerySet.as_manager()

    class Meta:
        verbose_name = _("园区")
        verbose_name_plural = _("园区")
        ordering = ("code",)
        constraints = [
            models.CheckConstraint(
                condition=Q(smart_platform=True) | Q(smart_subsystems=0),
                name="park_subsystems_need_platform",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.smart_subsystems and not self.smart_platform:
            raise ValidationError({"smart_subsystems": _("未建智慧化平台的园区，应用子系统数应为0")})
        if self.status == self.Status.RECOGNISED and self.recognised_on is None:
            raise ValidationError({"recognised_on": _("已认定的园区须填写认定日期")})
        if self.boundary:
            import shapely

            from yuanqu.registry import geo
            from yuanqu.registry.region import basemap_path, region_chinese

            try:
                shape = geo.parse_boundary(self.boundary, basemap_path(), region_chinese())
            except geo.GeoError as exc:
                raise ValidationError({"boundary": str(exc)}) from exc
            # Stored as the bare geometry, whatever wrapper (Feature, FeatureCollection) came in.
            self.boundary = json.loads(shapely.to_geojson(shape))
            self.boundary_area_km2 = Decimal(str(round(geo.area_km2(shape), 3)))
            centre = shape.representative_point()
            self.centroid_lon, self.centroid_lat = round(centre.x, 6), round(centre.y, 6)
        else:
            self.boundary_area_km2 = None


class EnterpriseQuerySet(ScopedQuerySet["Enterprise"]):
    def scope_q(self, user: User) -> Q | None:
        return own_scope(user, district="district_id", park="park_id", enterprise="pk")

    def with_label(self, kind: str, *, on: dt.date, levels: tuple[str, ...] | None = None) -> EnterpriseQuerySet:
        """Enterprises holding a label of `kind` valid on the date, in one query.

        A plain IN (subquery) rather than a correlated EXISTS: SQLite plans the correlated form on the
        (kind, valid_from, valid_to) index and takes minutes at city scale, and SQLite 3.40 returns
        wrong counts for it once ANALYZE statistics exist."""
        labels = EnterpriseLabel.objects.filter(kind=kind).valid_on(on)
        if levels:
            labels = labels.filter(level__in=levels)
        return self.filter(pk__in=labels.values("enterprise_id"))


class RegistrationStatus(models.TextChoices):
    ACTIVE = "active", _("存续")
    CANCELLED = "cancelled", _("注销")
    MOVED_OUT = "moved_out", _("迁出")


class Enterprise(models.Model):
    class ParkAssignment(models.TextChoices):
        AUTO = "auto", _("按坐标自动落园")
        MANUAL = "manual", _("人工指定")
        OUTSIDE = "outside", _("不在任何园区")
        AMBIGUOUS = "ambiguous", _("坐标落在多个园区，待核实")
        NO_COORDINATES = "no_coordinates", _("无坐标")

    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, validators=[validate_uscc])
    name = models.CharField(_("企业名称"), max_length=120)
    industry = models.ForeignKey(
        IndustryClass,
        on_delete=models.PROTECT,
        verbose_name=_("行业小类"),
        related_name="enterprises",
        limit_choices_to={"level": IndustryClass.Level.CLASS},
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    lon = models.FloatField(_("经度（WGS84）"), null=True, blank=True)
    lat = models.FloatField(_("纬度（WGS84）"), null=True, blank=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("所属区")
    )
    park = models.ForeignKey(
        Park, null=True, blank=True, on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("所在园区")
    )
    park_assignment = models.CharField(
        _("落园方式"), max_length=16, choices=ParkAssignment.choices, default=ParkAssignment.NO_COORDINATES
    )
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    # The current registration status; its dated history is in `EnterpriseVersion`.
    registration_status = models.CharField(
        _("登记状态"), max_length=10, choices=RegistrationStatus.choices, default=RegistrationStatus.ACTIVE
    )
    synthetic = models.BooleanField(_("示例数据"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ("name", "id")
        indexes = [models.Index(fields=("district", "park"))]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.industry_id is not None and not self.industry_id[:1].isalpha():
            raise ValidationError({"industry": _("行业代码格式错误")})
        if self.industry_id and len(self.industry_id) != 5:
            raise ValidationError(
                {"industry": _("行业须为小类（如 C3976），“%(code)s”不是小类") % {"code": self.industry_id}}
            )
        if (self.lon is None) != (self.lat is None):
            raise ValidationError({"lon": _("经度和纬度须同时填写")})
        if self.lon is not None and self.lat is not None:
            from yuanqu.registry import geo
            from yuanqu.registry.region import basemap_path, region_name

            if not geo.inside_region(self.lon, self.lat, basemap_path()):
                place = {"lon": self.lon, "lat": self.lat, "region": region_name()}
                raise ValidationError({"lon": _("坐标（%(lon)s, %(lat)s）不在%(region)s范围内") % place})
        if self.park is not None and self.district_id is not None and self.park.district_id != self.district_id:
            raise ValidationError(
                {
                    "park": _("园区“%(park)s”属于%(district)s，与企业所属区不一致")
                    % {"park": self.park, "district": self.park.district}
                }
            )


class LabelKind(models.TextChoices):
    ABOVE_SCALE = "above_scale", _("规上工业企业")
    HIGH_TECH = "high_tech", _("高新技术企业")
    SRDI = "srdi", _("专精特新")
    SINGLE_CHAMPION = "single_champion", _("制造业单项冠军")
    GAZELLE = "gazelle", _("瞪羚企业")
    UNICORN = "unicorn", _("独角兽企业")
    CHAIN_LEADER = "chain_leader", _("链主企业")
    LISTED = "listed", _("上市企业")
    TOP500 = "top500", _("三类500强")
    GREEN_FACTORY = "green_factory", _("绿色工厂")
    GREEN_SUPPLY_CHAIN = "green_supply_chain", _("绿色供应链管理企业")
    GREEN_PRODUCT = "green_product", _("绿色设计产品")
    DIGITAL = "digital", _("数字化转型")


# The labels listed at a level (国家级/省级/市级), which a label of theirs must name: 专精特新 and the
# green-manufacturing lists (绿色工厂, 绿色供应链管理企业, 绿色设计产品; MIIT's and the province's).
LEVELLED_LABEL_KINDS = frozenset(
    {LabelKind.SRDI, LabelKind.GREEN_FACTORY, LabelKind.GREEN_SUPPLY_CHAIN, LabelKind.GREEN_PRODUCT}
)


class LabelLevel(models.TextChoices):
    NONE = "", _("—")
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    MUNICIPAL = "municipal", _("市级")


# 高新技术企业 certificates run three years (《高新技术企业认定管理办法》 art. 9).
HIGH_TECH_VALID_YEARS = 3


class LabelQuerySet(ScopedQuerySet["EnterpriseLabel"]):
    def scope_q(self, user: User) -> Q | None:
        inner = EnterpriseQuerySet(Enterprise).scope_q(user)
        if inner is None:
            return None
        return Q(enterprise__in=Enterprise.objects.filter(inner).values("pk"))

    def valid_on(self, day: dt.date) -> LabelQuerySet:
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class EnterpriseLabel(models.Model):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="labels", verbose_name=_("企业"))
    kind = models.CharField(_("称号"), max_length=20, choices=LabelKind.choices)
    level = models.CharField(_("级别"), max_length=12, choices=LabelLevel.choices, blank=True, default="")
    certificate_no = models.CharField(_("证书编号"), max_length=60, blank=True)
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True, help_text=_("空表示长期有效"))
    source = models.CharField(_("来源"), max_length=100, blank=True)
    # 绿色设计产品: the products the listing names (one per line, or separated by 、；;), so that the
    # products are counted and not only the firm.
    products = models.TextField(
        _("入选产品"), blank=True, help_text=_("绿色设计产品：入选产品名称，每行一个或以“、”分隔")
    )
    # The lineage of the counts.
    batch = import_batch_field()

    objects = LabelQuerySet.as_manager()

    class Meta:
        verbose_name = _("企业称号")
        verbose_name_plural = _("企业称号")
        ordering = ("enterprise", "kind", "-valid_from")
        indexes = [models.Index(fields=("kind", "valid_from", "valid_to"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="label_valid_range",
            ),
            models.UniqueConstraint(fields=("enterprise", "kind", "level", "valid_from"), name="label_unique_start"),
        ]

    def __str__(self) -> str:
        level = self.get_level_display() if self.level else ""
        return f"{self.enterprise} {level}{self.get_kind_display()}"

    @property
    def product_names(self) -> list[str]:
        return product_names(self.products)

    @property
    def product_count(self) -> int:
        """The products the label stands for: those it names, or one where it names none (a listing
        is of one product at least)."""
        return len(self.product_names) or 1

    def clean(self) -> None:
        super().clean()
        if self.kind in LEVELLED_LABEL_KINDS and not self.level:
            raise ValidationError(
                {"level": _("“%(kind)s”须注明级别（国家级/省级/市级）") % {"kind": self.get_kind_display()}}
            )
        if self.kind == LabelKind.HIGH_TECH and self.valid_from and self.valid_to is None:
            self.valid_to = high_tech_expiry(self.valid_from)
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("失效日期不能早于生效日期")})


def product_names(text: str) -> list[str]:
    """The product names of a label's list: one per line, or separated by 、；; (blanks dropped, each
    name once)."""
    names = [name.strip() for name in re.split(r"[\n、；;]", text or "")]
    return list(dict.fromkeys(name for name in names if name))


def high_tech_expiry(start: dt.date) -> dt.date:
    """The last valid day of a 高企 certificate issued on `start` (three years, less one day)."""
    try:
        end = start.replace(year=start.year + HIGH_TECH_VALID_YEARS)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + HIGH_TECH_VALID_YEARS, day=28)
    return end - dt.timedelta(days=1)


class LandParcelQuerySet(ScopedQuerySet["LandParcel"]):
    def scope_q(self, user: User) -> Q | None:
        if user.role == Role.DISTRICT:
            return Q(district_id=user.district_id)
        if user.role == Role.PARK_OPERATOR:
            return Q(park_id=user.park_id)
        if user.role == Role.ENTERPRISE:
            return Q(enterprise_id=user.enterprise_id)
        return None


# 1 km² = 1,500 亩 (1 亩 = 666.67 m²).
MU_PER_KM2 = Decimal(1500)


class LandParcel(models.Model):
    class Use(models.TextChoices):
        INDUSTRIAL_M1 = "M1", _("一类工业用地")
        INDUSTRIAL_M2 = "M2", _("二类工业用地")
        INDUSTRIAL_M3 = "M3", _("三类工业用地")
        NEW_INDUSTRIAL = "M0", _("新型产业用地")
        WAREHOUSE = "W", _("物流仓储用地")
        OTHER = "other", _("其他")

    class SupplyMethod(models.TextChoices):
        TRANSFER = "transfer", _("出让")
        FLEXIBLE_TERM = "flexible_term", _("弹性年期出让")
        LONG_LEASE = "long_lease", _("长期租赁")
        LEASE_AND_TRANSFER = "lease_and_transfer", _("租让结合")
        LEASE_THEN_TRANSFER = "lease_then_transfer", _("先租后让")
        ALLOCATION = "allocation", _("划拨")

    code = models.CharField(_("地块编号"), max_length=40, unique=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="land_parcels", verbose_name=_("所属区")
    )
    park = models.ForeignKey(
        Park,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="land_parcels",
        verbose_name=_("所在园区（空为园区外）"),
    )
    enterprise = models.ForeignKey(
        Enterprise,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="land_parcels",
        verbose_name=_("使用企业"),
    )
    area_mu = models.DecimalField(
        _("面积（亩）"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    use = models.CharField(_("用途"), max_length=10, choices=Use.choices)
    supply_method = models.CharField(_("供地方式"), max_length=20, choices=SupplyMethod.choices)
    supplied_on = models.DateField(_("供地日期"), null=True, blank=True)
    synthetic = models.BooleanField(_("示例数据"), default=False)
    # The lineage of the land figures.
    batch = import_batch_field()

    objects = LandParcelQuerySet.as_manager()

    class Meta:
        verbose_name = _("地块")
        verbose_name_plural = _("地块")
        ordering = ("code",)

    def __str__(self) -> str:
        return self.code

    @property
    def is_industrial(self) -> bool:
        return self.use in {
            self.Use.INDUSTRIAL_M1,
            self.Use.INDUSTRIAL_M2,
            self.Use.INDUSTRIAL_M3,
            self.Use.NEW_INDUSTRIAL,
        }

    def clean(self) -> None:
        super().clean()
        if self.park is not None and self.district_id is not None and self.park.district_id != self.district_id:
            raise ValidationError(
                {"park": _("园区“%(park)s”不在%(district)s") % {"park": self.park, "district": self.district}}
            )


class FacilityQuerySet(ScopedQuerySet["ParkFacility"]):
    def scope_q(self, user: User) -> Q | None:
        inner = ParkQuerySet(Park).scope_q(user)
        if inner is None:
            return None
        return Q(park__in=Park.objects.filter(inner).values("pk"))


class ParkFacility(models.Model):
    class Kind(models.TextChoices):
        SHARED_LAB = "shared_lab", _("共享实验室")
        COMPUTING = "computing", _("算力中心")
        PILOT = "pilot", _("中试平台")
        SERVICE_STATION = "service_station", _("综合服务站")
        RENTAL_HOUSING = "rental_housing", _("保障性租赁住房")
        INNOVATION_CENTRE = "innovation_centre", _("创新中心")
        TESTING = "testing", _("检验检测平台")
        INCUBATOR = "incubator", _("孵化器/众创空间")
        CANTEEN = "canteen", _("生活配套（食堂/商业）")

    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="facilities", verbose_name=_("园区"))
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100)
    floor_area_m2 = models.DecimalField(
        _("建筑面积（平方米）"),
        max_digits=12,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    opened_on = models.DateField(_("投用日期"), null=True, blank=True)
    shared = models.BooleanField(_("对园区企业共享"), default=True)
    synthetic = models.BooleanField(_("示例数据"), default=False)

    objects = FacilityQuerySet.as_manager()

    class Meta:
        verbose_name = _("园区设施")
        verbose_name_plural = _("园区设施")
        ordering = ("park", "kind", "name")

    def __str__(self) -> str:
        return f"{self.park}·{self.name}"


class ChangeRequestQuerySet(ScopedQuerySet["ParkChangeRequest"]):
    def scope_q(self, user: User) -> Q | None:
        inner = ParkQuerySet(Park).scope_q(user)
        if inner is None or user.role == Role.ENTERPRISE:
            return None
        return Q(park__in=Park.objects.filter(inner).values("pk"))


class ParkChangeRequest(models.Model):
    """A park's request to change fields the city owns (type, status, recognition, evaluation
    inputs): filed by its operator or its district, decided by a city administrator. `changes`
    holds, per field, the value when filed (`before`) and the value asked for (`after`); approval
    applies it only if every `before` still holds."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待审核")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("已驳回")
        WITHDRAWN = "withdrawn", _("已撤回")

    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="change_requests", verbose_name=_("园区"))
    changes = models.JSONField(_("变更内容"), help_text=_("每个字段的原值（before）和申请值（after）"))
    reason = models.TextField(_("申请理由"), max_length=1000)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("申请人")
    )
    proposed_at = models.DateTimeField(_("申请时间"))
    decided_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("处理人")
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decision_note = models.TextField(_("审核意见"), max_length=1000, blank=True)

    objects = ChangeRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("园区信息变更申请")
        verbose_name_plural = _("园区信息变更申请")
        ordering = ("-proposed_at", "-id")
        indexes = [models.Index(fields=("status", "proposed_at"))]

    def __str__(self) -> str:
        return f"{self.park}·{self.get_status_display()}"

    @property
    def fields(self) -> list[str]:
        return list(self.changes)

    @property
    def field_labels(self) -> list[str]:
        """The requested fields as people name them (园区类型 …)."""
        return [str(getattr(Park._meta.get_field(name), "verbose_name", name)) for name in self.changes]


# ---------------------------------------------------------------- dated history (时点口径)


class VersionQuerySet(ScopedQuerySet[Any]):
    """Versions of an enterprise or a park: seen by whoever sees their owner."""

    def valid_on(self, day: dt.date) -> VersionQuerySet:
        """The versions in force on the day (`valid_from` empty: since the first record)."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def overlapping(self, start: dt.date, end: dt.date) -> VersionQuerySet:
        """The versions in force on some day from `start` to `end` (both included)."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=end), Q(valid_to__isnull=True) | Q(valid_to__gte=start)
        )


class EnterpriseVersionQuerySet(VersionQuerySet):
    def scope_q(self, user: User) -> Q | None:
        inner = EnterpriseQuerySet(Enterprise).scope_q(user)
        return None if inner is None else Q(enterprise__in=Enterprise.objects.filter(inner).values("pk"))


class ParkVersionQuerySet(VersionQuerySet):
    def scope_q(self, user: User) -> Q | None:
        inner = ParkQuerySet(Park).scope_q(user)
        return None if inner is None else Q(park__in=Park.objects.filter(inner).values("pk"))


def version_range(name: str) -> models.CheckConstraint:
    """A version's stretch never ends before it starts (either end may be open)."""
    return models.CheckConstraint(
        condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
        name=name,
    )


class DatedVersion(models.Model):
    """One stretch of a registry object's dated state: in force from `valid_from` (empty: since the
    first record) to `valid_to` (included; empty: still in force). The versions of one object never
    overlap and leave no gap; the newest one matches the object's own fields. Written only by the
    services of `yuanqu.registry.history`."""

    valid_from = models.DateField(_("起始日期"), null=True, blank=True, help_text=_("空表示自建档起"))
    valid_to = models.DateField(_("截止日期"), null=True, blank=True, help_text=_("空表示至今"))
    recorded_at = models.DateTimeField(_("记录时间"), auto_now=True)

    # The object whose state this is, by its field's name, and the fields of that state.
    owner_field: ClassVar[str]
    state_fields: ClassVar[tuple[str, ...]]

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{getattr(self, self.owner_field)} {self.valid_from or '—'}–{self.valid_to or ''}"


class EnterpriseVersion(DatedVersion):
    """An enterprise's park, district, industry class and registration status over a stretch of time:
    the indicators of a period read the version in force at the period's end."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="versions", verbose_name=_("企业")
    )
    park = models.ForeignKey(
        Park, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("所在园区")
    )
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("所属区"))
    industry = models.ForeignKey(IndustryClass, on_delete=models.PROTECT, related_name="+", verbose_name=_("行业小类"))
    registration_status = models.CharField(
        _("登记状态"), max_length=10, choices=RegistrationStatus.choices, default=RegistrationStatus.ACTIVE
    )

    owner_field = "enterprise"
    state_fields = ("park_id", "district_id", "industry_id", "registration_status")
    objects = EnterpriseVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("企业历史状态")
        verbose_name_plural = _("企业历史状态")
        ordering = ("enterprise", models.F("valid_from").asc(nulls_first=True))
        indexes = [models.Index(fields=("enterprise", "valid_from", "valid_to"))]
        constraints = [version_range("enterprise_version_range")]


class ParkVersion(DatedVersion):
    """A park's type, recognition status and green level over a stretch of time."""

    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="versions", verbose_name=_("园区"))
    park_type = models.CharField(_("园区类型"), max_length=15, choices=ParkType.choices)
    status = models.CharField(_("认定状态"), max_length=12, choices=Park.Status.choices)
    recognised_on = models.DateField(_("认定日期"), null=True, blank=True)
    green_level = models.CharField(
        _("绿色园区等级"), max_length=12, choices=Park.GreenLevel.choices, blank=True, default=""
    )

    owner_field = "park"
    state_fields = ("park_type", "status", "recognised_on", "green_level")
    objects = ParkVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("园区历史状态")
        verbose_name_plural = _("园区历史状态")
        ordering = ("park", models.F("valid_from").asc(nulls_first=True))
        indexes = [models.Index(fields=("park", "valid_from", "valid_to"))]
        constraints = [version_range("park_version_range")]


# The fields each kind of version keeps, as they are named on the object itself.
ENTERPRISE_VERSION_FIELDS = EnterpriseVersion.state_fields
PARK_VERSION_FIELDS = ParkVersion.state_fields
