"""Word lists for the synthetic demo city: the park catalogue, street and road names, and the parts of
enterprise names. Plain data, no Django; `yuanqu.demo.generator` draws from it with a seeded RNG.

Every name here is invented for the demo (some echo real places in Wuhan so that the map reads
naturally); none describes a real park's or company's figures."""

from __future__ import annotations

from dataclasses import dataclass

# Development zones have no outline of their own in the basemap: their parks lie inside the districts
# whose streets they administer (DOMAIN.md §3; the zone codes are those of the pack's districts.csv).
ZONE_HOSTS: dict[str, tuple[str, ...]] = {
    "Z01": ("420111", "420115"),  # 东湖新技术开发区 → 洪山、江夏
    "Z02": ("420114", "420113"),  # 武汉经济技术开发区 → 蔡甸（沌口、军山）、汉南
    "Z03": ("420112",),  # 武汉临空港经济技术开发区 → 东西湖
    "Z04": ("420116", "420117"),  # 长江新区 → 黄陂、新洲
}

CENTRAL_DISTRICTS = ("420102", "420103", "420104", "420105", "420106", "420107", "420111")

DISTRICT_SHORT: dict[str, str] = {
    "420102": "江岸",
    "420103": "江汉",
    "420104": "硚口",
    "420105": "汉阳",
    "420106": "武昌",
    "420107": "青山",
    "420111": "洪山",
    "420112": "东西湖",
    "420113": "汉南",
    "420114": "蔡甸",
    "420115": "江夏",
    "420116": "黄陂",
    "420117": "新洲",
    "Z01": "光谷",
    "Z02": "武汉经开区",
    "Z03": "临空港",
    "Z04": "长江新区",
}


@dataclass(frozen=True)
class ParkTemplate:
    name: str
    district: str  # district code, or a zone code Z01–Z04
    chains: tuple[str, ...]  # chain codes of the policy pack (chains.yaml), most important first
    divisions: tuple[str, ...]  # GB/T 4754 divisions to fall back on when the chains are missing
    hosts: tuple[str, ...] = ()  # districts whose outline holds the boundary; default: the district
    area: tuple[float, float] | None = None  # planned area range (km²); default: by park type
    revenue_yi: float | None = None  # 2024 operating revenue (亿元); default: drawn by park type

    def host_codes(self) -> tuple[str, ...]:
        return self.hosts or ZONE_HOSTS.get(self.district, (self.district,))


# 现代产业园, most prominent first: at a small scale the generator keeps the first ones. The 2024
# revenues give three parks above 1000亿 and thirteen above 100亿 (the 2027 targets are > 5 and > 20).
MODERN: tuple[ParkTemplate, ...] = (
    ParkTemplate(
        "武汉经开区智能网联汽车产业园",
        "Z02",
        ("nev_icv", "automotive", "artificial_intelligence"),
        ("C36", "C38", "C39"),
        ("420114",),
        (30, 40),
        1820,
    ),
    ParkTemplate(
        "光谷光电子信息产业园",
        "Z01",
        ("optical_communication", "laser", "smart_terminal"),
        ("C39", "C38", "C40"),
        ("420111",),
        (28, 38),
        1250,
    ),
    ParkTemplate(
        "光谷集成电路产业园",
        "Z01",
        ("integrated_circuit", "new_display", "advanced_semiconductor"),
        ("C39",),
        ("420115", "420111"),
        (20, 30),
        820,
    ),
    ParkTemplate(
        "武汉经开区军山新能源产业园", "Z02", ("nev_icv", "new_energy_storage"), ("C36", "C38"), (), (18, 28), 1070
    ),
    ParkTemplate(
        "临空港新型显示与智能终端产业园", "Z03", ("new_display", "smart_terminal"), ("C39",), (), (15, 25), 520
    ),
    ParkTemplate(
        "长江新区先进制造产业园",
        "Z04",
        ("high_end_equipment", "new_energy_storage"),
        ("C34", "C35", "C38"),
        (),
        (15, 30),
        640,
    ),
    ParkTemplate(
        "光谷生物城生命健康产业园",
        "Z01",
        ("biomedicine", "medical_devices", "biomanufacturing"),
        ("C27", "C35", "C40"),
        ("420115",),
        (15, 25),
        430,
    ),
    ParkTemplate(
        "光谷软件与人工智能产业园",
        "Z01",
        ("software_services", "artificial_intelligence", "general_ai"),
        ("I65", "I64", "C39"),
        ("420111",),
        (10, 15),
        350,
    ),
    ParkTemplate(
        "江夏高端装备产业园", "420115", ("high_end_equipment", "automotive"), ("C34", "C35", "C36"), (), (12, 22), 360
    ),
    ParkTemplate(
        "黄陂临空产业园",
        "420116",
        ("aerospace", "beidou", "high_end_equipment"),
        ("C37", "C39", "C34"),
        (),
        (12, 25),
        230,
    ),
    ParkTemplate(
        "新洲阳逻绿色智造产业园",
        "420117",
        ("new_materials", "energy_saving_environment", "high_end_equipment"),
        ("C31", "C33", "C30", "C35"),
        (),
        (15, 30),
        185,
    ),
    ParkTemplate(
        "蔡甸中德国际产业园", "420114", ("high_end_equipment", "automotive"), ("C34", "C36", "C35"), (), (10, 20), 190
    ),
    ParkTemplate(
        "武汉经开区通用航空及卫星产业园", "Z02", ("aerospace", "beidou"), ("C37", "C39"), ("420113",), (10, 20), 128
    ),
    ParkTemplate(
        "东西湖智能制造产业园",
        "420112",
        ("high_end_equipment", "biomedicine"),
        ("C34", "C13", "C14", "C27"),
        (),
        (10, 20),
        94,
    ),
    ParkTemplate(
        "光谷科学岛未来产业园",
        "Z01",
        ("quantum", "brain_computer_interface", "future_network"),
        ("C39", "C40", "M73"),
        ("420115",),
        (10, 18),
        86,
    ),
    ParkTemplate("临空港生命健康产业园", "Z03", ("biomedicine", "medical_devices"), ("C27", "C35"), (), (10, 16), 70),
    ParkTemplate("汉南临港新材料产业园", "420113", ("new_materials",), ("C26", "C29", "C30"), (), (10, 16), 58),
    ParkTemplate(
        "长江新区数字经济产业园",
        "Z04",
        ("software_services", "artificial_intelligence", "metaverse"),
        ("I65", "C39"),
        ("420116",),
        (10, 15),
        46,
    ),
    ParkTemplate("黄陂汽车零部件产业园", "420116", ("automotive",), ("C36", "C33"), (), (10, 16), 38),
    ParkTemplate(
        "江夏金口新能源产业园",
        "420115",
        ("new_energy_storage", "energy_saving_environment"),
        ("C38", "C35"),
        (),
        (10, 15),
        30,
    ),
)

# 特色产业园: "一园一产业", 1–8 km². The first two pass 100亿 in 2024.
FEATURED: tuple[ParkTemplate, ...] = (
    ParkTemplate("光谷北斗产业园", "Z01", ("beidou",), ("C39", "C40", "I65"), revenue_yi=150),
    ParkTemplate(
        "武汉经开区人形机器人与智能装备产业园",
        "Z02",
        ("humanoid_robot", "high_end_equipment"),
        ("C34", "C39"),
        ("420114",),
        revenue_yi=115,
    ),
    ParkTemplate("临空港新型储能产业园", "Z03", ("new_energy_storage",), ("C38",)),
    ParkTemplate("江夏医疗器械产业园", "420115", ("medical_devices",), ("C35", "C40", "C27")),
    ParkTemplate(
        "青山氢能与绿色低碳产业园",
        "420107",
        ("energy_saving_environment", "new_energy_storage"),
        ("C38", "C26", "C35"),
        area=(1, 4),
    ),
    ParkTemplate("硚口古田生命健康产业园", "420104", ("biomedicine", "medical_devices"), ("C27", "C35"), area=(1, 2.5)),
    ParkTemplate("光谷激光产业园", "Z01", ("laser",), ("C39", "C34")),
    ParkTemplate("东西湖网络安全产业园", "420112", ("software_services", "future_network"), ("I65", "C39")),
    ParkTemplate("蔡甸常福智能制造产业园", "420114", ("automotive", "high_end_equipment"), ("C36", "C34")),
    ParkTemplate("黄陂盘龙城电子信息产业园", "420116", ("smart_terminal", "new_display"), ("C39",)),
    ParkTemplate("新洲邾城新材料产业园", "420117", ("new_materials",), ("C30", "C26", "C29")),
    ParkTemplate("汉南通用航空特色产业园", "420113", ("aerospace",), ("C37",)),
    ParkTemplate("光谷量子科技产业园", "Z01", ("quantum",), ("C39", "C40")),
    ParkTemplate("武汉经开区车规级芯片产业园", "Z02", ("integrated_circuit", "nev_icv"), ("C39", "C36")),
    ParkTemplate("长江新区脑机接口产业园", "Z04", ("brain_computer_interface", "medical_devices"), ("C35", "C40")),
    ParkTemplate("汉阳四新数字创意产业园", "420105", ("metaverse", "software_services"), ("I65", "M74"), area=(1, 3)),
    ParkTemplate("洪山青菱智能装备产业园", "420111", ("high_end_equipment",), ("C34", "C35"), area=(1, 4)),
    ParkTemplate("江夏藏龙岛智能终端产业园", "420115", ("smart_terminal",), ("C39",)),
    ParkTemplate("临空港生物制造产业园", "Z03", ("biomanufacturing",), ("C27", "C14", "C26")),
    ParkTemplate("青山化工新材料产业园", "420107", ("new_materials", "future_materials"), ("C26", "C29"), area=(1, 4)),
    ParkTemplate("蔡甸奓山新能源汽车零部件产业园", "420114", ("nev_icv",), ("C36", "C38")),
    ParkTemplate("黄陂横店航空配套产业园", "420116", ("aerospace", "high_end_equipment"), ("C37", "C34")),
    ParkTemplate("新洲双柳电磁能产业园", "420117", ("electromagnetic_energy",), ("C38", "C34")),
    ParkTemplate("江夏郑店绿色建材产业园", "420115", ("new_materials", "energy_saving_environment"), ("C30", "C33")),
    ParkTemplate("光谷人工智能产业园", "Z01", ("general_ai", "artificial_intelligence"), ("I65", "C39")),
    ParkTemplate("武汉经开区深地深海装备产业园", "Z02", ("deep_earth_sea_space",), ("C37", "C34", "C35"), ("420113",)),
    ParkTemplate("东西湖走马岭智能终端产业园", "420112", ("smart_terminal",), ("C39", "C38")),
    ParkTemplate("汉南纱帽新型储能产业园", "420113", ("new_energy_storage",), ("C38",)),
    ParkTemplate("长江新区未来显示产业园", "Z04", ("future_display", "new_display"), ("C39",)),
    ParkTemplate("洪山花山节能环保产业园", "420111", ("energy_saving_environment",), ("C35", "C42"), area=(1, 4)),
)

# 都市工业园: "小而美、精而智", 0.1–1 km², mostly in the central districts ("工业上楼", urban renewal).
_URBAN_SITES: tuple[tuple[str, str], ...] = (
    ("420105", "黄金口"),
    ("420102", "堤角"),
    ("420103", "常青"),
    ("420104", "长丰"),
    ("420106", "白沙洲"),
    ("420107", "红钢城"),
    ("420111", "和平"),
    ("420105", "四新"),
    ("420102", "后湖"),
    ("420103", "北湖"),
    ("420104", "韩家墩"),
    ("420106", "中南"),
    ("420107", "工人村"),
    ("420111", "张家湾"),
    ("420105", "龙阳"),
    ("420102", "谌家矶"),
    ("420103", "唐家墩"),
    ("420104", "易家墩"),
    ("420106", "徐家棚"),
    ("420107", "钢花村"),
    ("420111", "关山"),
    ("420105", "琴断口"),
    ("420102", "丹水池"),
    ("420103", "汉兴"),
    ("420104", "宗关"),
    ("420106", "杨园"),
    ("420107", "厂前"),
    ("420111", "珞南"),
    ("420105", "永丰"),
    ("420102", "二七"),
    ("420103", "万松"),
    ("420106", "积玉桥"),
    ("420111", "洪山"),
    ("420105", "江堤"),
    ("420102", "百步亭"),
    ("420104", "荣华"),
    ("420112", "吴家山"),
    ("420115", "纸坊"),
    ("420116", "前川"),
    ("420114", "蔡甸"),
)
_URBAN_THEMES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("software_services", "metaverse"), ("I65", "I64", "M74")),
    (("smart_terminal", "beidou"), ("C39", "C40")),
    (("medical_devices",), ("C35", "C40", "C27")),
    (("artificial_intelligence", "software_services"), ("I65", "C39")),
    (("laser", "optical_communication"), ("C39", "C40")),
    (("high_end_equipment",), ("C34", "C40")),
    (("new_display", "smart_terminal"), ("C39",)),
    (("biomedicine", "medical_devices"), ("C27", "C35")),
)
URBAN: tuple[ParkTemplate, ...] = tuple(
    ParkTemplate(
        f"{DISTRICT_SHORT[district]}都市工业园·{site}",
        district,
        _URBAN_THEMES[index % len(_URBAN_THEMES)][0],
        _URBAN_THEMES[index % len(_URBAN_THEMES)][1],
    )
    for index, (district, site) in enumerate(_URBAN_SITES)
)

# 未分类: street- and village-level industrial clusters not (yet) in any of the three types.
UNCLASSIFIED: tuple[ParkTemplate, ...] = (
    ParkTemplate("新洲仓埠工业园", "420117", ("new_materials",), ("C30", "C33", "C13")),
    ParkTemplate("黄陂武湖工业园", "420116", ("high_end_equipment",), ("C34", "C13", "C14")),
    ParkTemplate("蔡甸永安工业园", "420114", ("automotive",), ("C36", "C33", "C29")),
    ParkTemplate("江夏五里界工业园", "420115", ("high_end_equipment", "new_materials"), ("C33", "C34", "C30")),
    ParkTemplate("东西湖柏泉工业园", "420112", ("biomedicine",), ("C13", "C14", "C27")),
    ParkTemplate("新洲汪集工业园", "420117", ("new_materials",), ("C30", "C29")),
    ParkTemplate("黄陂罗汉寺工业园", "420116", ("automotive",), ("C36", "C33")),
    ParkTemplate("蔡甸索河工业园", "420114", ("high_end_equipment",), ("C34", "C33")),
    ParkTemplate("江夏安山工业园", "420115", ("energy_saving_environment",), ("C35", "C42", "C30")),
    ParkTemplate("汉南邓南工业园", "420113", ("new_materials",), ("C29", "C26")),
)

# Second and later rounds of the catalogue, when the scale asks for more parks than it holds.
EXTENSION_SUFFIXES = ("", "二期", "三期", "四期", "五期", "六期", "七期", "八期", "九期", "十期")

# Enterprise names: "武汉" + 字号 + 行业词 + 组织形式.
BRAND_CHARS = (
    "华科光瑞达恒信中天楚江汉鑫源博创远德泰新星晟宏嘉锐智联通诚安长盛昌立合众卓越东湖凯润兴捷腾飞航"
    "微芯云海峰毅思睿正和欣宇辰锦金铭晶磊佳丰富康健迈驰优特普力奥美亿万明阳辉景鸿鹏翔逸汇泽元启融拓"
    "精尚弘济泓煜烁旭晨霖森岳崇谷坤乾麒麟凌霄帆航誉信鼎盈瀚翰屹弈璟琪瑞祥"
)
REGION_PREFIXES = ("武汉", "武汉", "武汉", "武汉", "武汉", "武汉", "湖北", "武汉市")
LEGAL_FORMS = ("有限公司", "有限公司", "有限公司", "有限公司", "股份有限公司", "有限责任公司")
# Words for the business, by GB/T 4754 division (first three characters of the class code).
INDUSTRY_WORDS: dict[str, tuple[str, ...]] = {
    "C13": ("农产品加工", "粮油", "食品"),
    "C14": ("食品", "生物食品", "营养科技"),
    "C15": ("饮品", "酒业", "茶业"),
    "C17": ("纺织", "新型纺织"),
    "C18": ("服饰", "服装"),
    "C19": ("皮革制品", "鞋业"),
    "C20": ("木业", "木制品"),
    "C21": ("家具", "家居"),
    "C22": ("纸业", "包装材料"),
    "C23": ("印务", "包装印刷"),
    "C24": ("文体用品", "工艺品"),
    "C25": ("能源化工", "燃料"),
    "C26": ("化工", "新材料", "精细化工", "化学"),
    "C27": ("生物医药", "药业", "医药科技", "生物技术"),
    "C28": ("化纤", "纤维材料"),
    "C29": ("塑胶", "橡塑制品", "高分子材料"),
    "C30": ("建材", "新型建材", "玻璃", "陶瓷材料"),
    "C31": ("钢铁", "特钢", "金属材料"),
    "C32": ("有色金属", "合金材料"),
    "C33": ("金属制品", "精密五金", "钢结构"),
    "C34": ("机械", "精密机械", "智能装备", "动力设备"),
    "C35": ("装备", "医疗器械", "专用设备", "智能科技"),
    "C36": ("汽车零部件", "汽车", "汽车电子", "车身系统"),
    "C37": ("航空科技", "船舶装备", "轨道交通装备", "航天科技"),
    "C38": ("电气", "新能源", "电池", "电力设备", "储能科技"),
    "C39": ("光电", "电子", "通信", "半导体", "微电子", "信息技术"),
    "C40": ("仪器", "测控", "光学仪器", "传感技术"),
    "C41": ("制品", "工业科技"),
    "C42": ("再生资源", "环保科技"),
    "C43": ("设备维修", "机电工程"),
    "D44": ("能源", "电力"),
    "D45": ("燃气", "能源"),
    "I63": ("通信服务", "卫星科技"),
    "I64": ("网络科技", "互联网科技", "数据科技"),
    "I65": ("软件", "信息技术", "数字科技", "智能科技", "数据服务"),
    "M73": ("研究院", "技术研究"),
    "M74": ("检测技术", "工程设计", "技术服务", "检验认证"),
    "M75": ("科技服务", "技术转移"),
    "L71": ("设备租赁", "融资租赁"),
    "L72": ("企业管理", "商务咨询", "供应链管理"),
    "G54": ("物流", "运输"),
    "G56": ("航空服务",),
    "G59": ("仓储", "供应链"),
    "F51": ("贸易", "商贸", "进出口"),
    "F52": ("商贸",),
    "N77": ("环境工程", "环保科技"),
    "O81": ("机电维修",),
}
GENERIC_INDUSTRY_WORDS = ("科技", "实业", "技术", "工业")

# Roads for addresses, by district (names of the kind found there; house numbers are invented).
ROADS: dict[str, tuple[str, ...]] = {
    "420102": ("解放大道", "建设大道", "后湖大道", "堤角前街", "江大路", "二七路"),
    "420103": ("常青路", "发展大道", "唐家墩路", "新华路", "北湖正街"),
    "420104": ("古田二路", "长丰大道", "解放大道", "宗关路", "古田四路"),
    "420105": ("黄金口路", "四新大道", "龙阳大道", "琴台大道", "江城大道", "墨水湖北路"),
    "420106": ("和平大道", "友谊大道", "白沙洲大道", "中南路", "徐东大街", "八一路"),
    "420107": ("和平大道", "建设一路", "工业路", "冶金大道", "红钢城大街"),
    "420111": ("光谷大道", "高新大道", "关山大道", "珞喻路", "青菱路", "雄楚大道", "花山大道"),
    "420112": ("金银湖路", "临空港大道", "径河路", "吴家山大街", "走马岭路", "新城十一路"),
    "420113": ("汉南大道", "通航大道", "纱帽大道", "兴城大道"),
    "420114": ("常福大道", "奓山大道", "沌阳大道", "车城大道", "蔡甸大街", "东风大道"),
    "420115": ("光谷大道", "高新大道", "文化大道", "纸坊大街", "庙山路", "金港大道", "藏龙大道"),
    "420116": ("盘龙大道", "汉施公路", "前川大道", "武湖大道", "横店大街", "巨龙大道"),
    "420117": ("阳逻大道", "邾城大街", "双柳大道", "仓埠大街", "新港大道"),
}
GENERIC_ROADS = ("工业大道", "产业路", "创业路")

# Facilities that parks build for their firms (ParkFacility.Kind): name suffix and floor-area range (m²).
FACILITY_NAMES: dict[str, str] = {
    "shared_lab": "共享实验室",
    "computing": "算力中心",
    "pilot": "中试平台",
    "service_station": "企业综合服务站",
    "rental_housing": "保障性租赁住房",
    "innovation_centre": "产业创新中心",
    "testing": "检验检测公共服务平台",
    "incubator": "孵化器",
    "canteen": "生活服务中心",
}
FACILITY_AREAS: dict[str, tuple[float, float]] = {
    "shared_lab": (1500, 8000),
    "computing": (3000, 20000),
    "pilot": (3000, 15000),
    "service_station": (300, 2000),
    "rental_housing": (20000, 150000),
    "innovation_centre": (3000, 20000),
    "testing": (1000, 6000),
    "incubator": (5000, 30000),
    "canteen": (1000, 5000),
}
