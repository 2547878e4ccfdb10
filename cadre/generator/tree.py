"""The synthetic unit tree and its positions, planned in memory (no database).

A county (scale S), a city of counties (M) or a province of cities (L). Organ names follow
Zhejiang usage: 县委组织部, 县财政局, 市生态环境局某某分局, 省财政厅; towns and streets are
invented. Leadership levels follow the unit's tier: a county bureau chief is 乡科级正职, a
city bureau chief 县处级正职, a provincial department head 厅局级正职 (公务员法 第十八条).
"""

import random
from dataclasses import dataclass, field

from cadre.generator import names
from cadre.generator.scales import ScaleSpec

# Grades order every post on one ladder: 0 staff, 1 non-leading head of a section, then
# 领导职务 levels from 乡科级副职 (2) up to 省部级正职 (9).
LEVEL_OF_GRADE = {
    2: "section_deputy",
    3: "section_chief",
    4: "county_deputy",
    5: "county_chief",
    6: "bureau_deputy",
    7: "bureau_chief",
    8: "provincial_deputy",
    9: "provincial_chief",
}
# Grade of the area's own chief (县委书记, 市委书记, 省委书记) and of a bureau head there.
AREA_CHIEF = {"county": 5, "city": 7, "province": 9}
ORGAN_HEAD = {"county": 3, "city": 5, "province": 7}
TIER_INDEX = {"county": 0, "city": 1, "province": 2}


@dataclass(frozen=True)
class OrganSpec:
    key: str
    names: tuple[str | None, str | None, str | None]  # county, city, province templates
    kind: str
    field: str
    head: str
    deputy: str
    internals: tuple[str, ...] = ()
    deputies: int = 2
    weight: float = 1.0
    standing: bool = False  # head sits on the standing committee: one grade up
    area_level: bool = False  # 人大/政协: led at the area chief's level
    key_field: bool = False
    mini: bool = False  # kept in the tiny test scale XS


P, G, R = "party_organ", "gov_organ", "peoples_organ"
INS, E, U = "institution", "enterprise", "university"


def _gov(key: str, stem: str, fld: str, internals: tuple[str, ...], **kw: object) -> OrganSpec:
    """A government department: 局 in counties and cities, 厅 in the province."""
    prov = str(kw.pop("prov", "{p}" + stem.removesuffix("局") + "厅"))
    # kw holds the remaining OrganSpec fields, typed by the dataclass itself.
    return OrganSpec(
        key,
        ("{p}" + stem, "{p}" + stem, prov),
        G,
        fld,
        str(kw.pop("head", "局长")),
        str(kw.pop("deputy", "副局长")),
        internals,
        **kw,  # type: ignore[arg-type]
    )


ORGANS: tuple[OrganSpec, ...] = (
    OrganSpec(
        "party_office",
        ("{p}委办公室", "{p}委办公室", "{p}委办公厅"),
        P,
        "general",
        "主任",
        "副主任",
        ("秘书{s}", "综合信息{s}", "督查{s}", "机要{s}"),
        standing=True,
    ),
    OrganSpec(
        "organization",
        ("{p}委组织部",) * 3,
        P,
        "organization",
        "部长",
        "副部长",
        ("办公室", "组织{s}", "干部{s}*", "干部监督{s}*", "公务员管理{s}", "人才工作{s}"),
        deputies=3,
        standing=True,
        key_field=True,
        mini=True,
    ),
    OrganSpec(
        "propaganda",
        ("{p}委宣传部",) * 3,
        P,
        "propaganda",
        "部长",
        "副部长",
        ("办公室", "宣传教育{s}", "新闻{s}", "文明创建{s}"),
        standing=True,
    ),
    OrganSpec(
        "united_front",
        ("{p}委统战部",) * 3,
        P,
        "general",
        "部长",
        "副部长",
        ("办公室", "党派{s}", "民族宗教{s}"),
        standing=True,
    ),
    OrganSpec(
        "political_legal",
        ("{p}委政法委员会",) * 3,
        P,
        "law",
        "书记",
        "副书记",
        ("办公室", "综治督导{s}", "执法监督{s}"),
        standing=True,
    ),
    OrganSpec(
        "discipline",
        ("{p}纪委{t}监委",) * 3,
        P,
        "discipline",
        "书记",
        "副书记",
        (
            "办公室",
            "党风政风监督室",
            "信访室",
            "案件监督管理室",
            "第一纪检监察室*",
            "第二纪检监察室*",
            "案件审理室*",
        ),
        deputies=3,
        weight=1.5,
        standing=True,
        key_field=True,
        mini=True,
    ),
    OrganSpec(
        "staffing",
        ("{p}委机构编制委员会办公室",) * 3,
        P,
        "organization",
        "主任",
        "副主任",
        ("综合{s}", "机构编制{s}*"),
        deputies=1,
        weight=0.5,
        key_field=True,
    ),
    OrganSpec(
        "inspection",
        ("{p}委巡察工作领导小组办公室",) * 3,
        P,
        "discipline",
        "主任",
        "副主任",
        ("综合{s}", "巡察一组", "巡察二组"),
        deputies=1,
        weight=0.6,
    ),
    OrganSpec(
        "cyberspace",
        ("{p}委网络安全和信息化委员会办公室",) * 3,
        P,
        "propaganda",
        "主任",
        "副主任",
        ("网络管理{s}", "网络安全{s}"),
        deputies=1,
        weight=0.4,
    ),
    OrganSpec(
        "veteran_cadres",
        ("{p}委老干部局",) * 3,
        P,
        "organization",
        "局长",
        "副局长",
        ("办公室", "离退休干部服务{s}"),
        deputies=1,
        weight=0.4,
    ),
    OrganSpec(
        "organs_committee",
        ("{p}直属机关工作委员会",) * 3,
        P,
        "organization",
        "书记",
        "副书记",
        ("办公室", "组织宣传{s}"),
        deputies=1,
        weight=0.4,
    ),
    OrganSpec(
        "social_work",
        ("{p}委社会工作部",) * 3,
        P,
        "social",
        "部长",
        "副部长",
        ("办公室", "基层治理{s}", "志愿服务{s}"),
        weight=0.6,
    ),
    OrganSpec(
        "gov_office",
        ("{p}人民政府办公室", "{p}人民政府办公室", "{p}人民政府办公厅"),
        G,
        "general",
        "主任",
        "副主任",
        ("秘书{s}", "综合{s}", "督查{s}", "法制{s}"),
        deputies=3,
    ),
    OrganSpec(
        "development",
        ("{p}发展和改革局", "{p}发展和改革委员会", "{p}发展和改革委员会"),
        G,
        "economy",
        "局长",
        "副局长",
        ("办公室", "发展规划{s}", "固定资产投资{s}*", "价格{s}", "能源{s}"),
        key_field=True,
    ),
    _gov("industry", "经济和信息化局", "economy", ("办公室", "产业发展{s}", "中小企业{s}")),
    _gov(
        "education",
        "教育局",
        "education",
        ("办公室", "基础教育{s}", "人事{s}", "计划财务{s}*"),
        weight=1.2,
        mini=True,
    ),
    _gov("science", "科学技术局", "education", ("办公室", "科技创新{s}"), deputies=1),
    _gov(
        "police",
        "公安局",
        "law",
        ("办公室", "治安{d}", "刑事侦查{d}", "交通警察{d}", "经济犯罪侦查{d}*", "出入境管理{d}"),
        deputies=3,
        weight=3.0,
        key_field=True,
    ),
    _gov("civil_affairs", "民政局", "social", ("办公室", "社会救助{s}", "社会组织管理{s}")),
    _gov("justice", "司法局", "law", ("办公室", "法治督察{s}", "社区矫正{s}", "公共法律服务{s}")),
    _gov(
        "finance",
        "财政局",
        "finance",
        ("办公室", "预算{s}*", "国库{s}*", "政府采购监管{s}*", "会计{s}", "综合{s}"),
        deputies=3,
        weight=1.2,
        key_field=True,
        mini=True,
    ),
    _gov(
        "hr",
        "人力资源和社会保障局",
        "organization",
        ("办公室", "就业促进{s}", "社会保险{s}*", "劳动关系{s}"),
    ),
    _gov(
        "natural_resources",
        "自然资源和规划局",
        "planning",
        ("办公室", "国土空间规划{s}*", "耕地保护{s}", "用途管制{s}*", "执法监察{d}"),
        deputies=3,
        weight=1.2,
        key_field=True,
        mini=True,
        prov="{p}自然资源厅",
    ),
    OrganSpec(
        "environment",
        ("{c}生态环境局{q}分局", "{p}生态环境局", "{p}生态环境厅"),
        G,
        "environment",
        "局长",
        "副局长",
        ("办公室", "污染防治{s}", "环境执法{d}"),
    ),
    _gov(
        "housing",
        "住房和城乡建设局",
        "planning",
        ("办公室", "建筑业管理{s}*", "房地产市场监管{s}*", "城市建设{s}"),
        key_field=True,
    ),
    _gov(
        "transport",
        "交通运输局",
        "planning",
        ("办公室", "规划建设{s}*", "运输管理{s}"),
        key_field=True,
    ),
    _gov("water", "水利局", "agriculture", ("办公室", "水资源管理{s}", "工程建设{s}*")),
    _gov(
        "agriculture",
        "农业农村局",
        "agriculture",
        ("办公室", "农村经营管理{s}", "种植业管理{s}", "乡村振兴{s}"),
    ),
    _gov("commerce", "商务局", "economy", ("办公室", "外贸{s}", "市场建设{s}")),
    OrganSpec(
        "culture",
        ("{p}文化和广电旅游体育局", "{p}文化广电旅游局", "{p}文化和旅游厅"),
        G,
        "propaganda",
        "局长",
        "副局长",
        ("办公室", "文化艺术{s}", "旅游发展{s}"),
    ),
    OrganSpec(
        "health",
        ("{p}卫生健康局", "{p}卫生健康委员会", "{p}卫生健康委员会"),
        G,
        "health",
        "局长",
        "副局长",
        ("办公室", "医政医管{s}*", "疾病预防控制{s}", "基层卫生{s}"),
    ),
    _gov("veterans", "退役军人事务局", "social", ("办公室", "优抚安置{s}"), deputies=1),
    _gov("emergency", "应急管理局", "social", ("办公室", "安全生产监管{s}*", "应急救援{s}")),
    _gov(
        "audit", "审计局", "finance", ("办公室", "财政审计{s}*", "经济责任审计{s}*"), key_field=True
    ),
    OrganSpec(
        "market",
        ("{p}市场监督管理局",) * 3,
        G,
        "economy",
        "局长",
        "副局长",
        ("办公室", "登记注册{s}", "食品安全监管{s}*", "执法稽查{d}"),
        deputies=3,
        weight=1.5,
        key_field=True,
    ),
    OrganSpec(
        "statistics",
        ("{p}统计局",) * 3,
        G,
        "economy",
        "局长",
        "副局长",
        ("办公室", "综合统计{s}"),
        deputies=1,
        weight=0.6,
    ),
    OrganSpec(
        "medical_insurance",
        ("{p}医疗保障局",) * 3,
        G,
        "health",
        "局长",
        "副局长",
        ("办公室", "基金监管{s}*"),
        deputies=1,
        weight=0.6,
    ),
    OrganSpec(
        "petition",
        ("{p}信访局",) * 3,
        G,
        "petition",
        "局长",
        "副局长",
        ("办公室", "来访接待{s}", "办信{s}", "督查督办{s}"),
        weight=0.8,
        mini=True,
    ),
    OrganSpec(
        "law_enforcement",
        ("{p}综合行政执法局", "{p}综合行政执法局", None),
        G,
        "social",
        "局长",
        "副局长",
        ("办公室", "执法{d}"),
        weight=1.5,
    ),
    OrganSpec(
        "data",
        ("{p}数据资源管理局", "{p}数据资源管理局", "{p}大数据发展管理局"),
        G,
        "general",
        "局长",
        "副局长",
        ("办公室", "数据资源{s}"),
        deputies=1,
        weight=0.5,
    ),
    OrganSpec(
        "congress",
        ("{p}人大常委会",) * 3,
        R,
        "general",
        "主任",
        "副主任",
        ("办公室", "法制工作委员会", "财政经济工作委员会"),
        deputies=3,
        weight=0.8,
        area_level=True,
    ),
    OrganSpec(
        "cppcc",
        ("{p}政协",) * 3,
        R,
        "general",
        "主席",
        "副主席",
        ("办公室", "提案委员会", "文史委员会"),
        deputies=3,
        weight=0.6,
        area_level=True,
    ),
    OrganSpec(
        "trade_union",
        ("{p}总工会",) * 3,
        R,
        "social",
        "主席",
        "副主席",
        ("办公室", "权益保障部"),
        deputies=1,
        weight=0.4,
    ),
    OrganSpec(
        "youth_league",
        ("共青团{p}委员会",) * 3,
        R,
        "propaganda",
        "书记",
        "副书记",
        ("办公室", "青年发展部"),
        deputies=1,
        weight=0.3,
    ),
    OrganSpec(
        "women",
        ("{p}妇女联合会",) * 3,
        R,
        "social",
        "主席",
        "副主席",
        ("办公室",),
        deputies=1,
        weight=0.3,
    ),
    OrganSpec(
        "science_assoc",
        ("{p}科学技术协会",) * 3,
        R,
        "education",
        "主席",
        "副主席",
        ("办公室",),
        deputies=1,
        weight=0.3,
    ),
    OrganSpec(
        "commerce_fed",
        ("{p}工商业联合会",) * 3,
        R,
        "economy",
        "主席",
        "副主席",
        ("办公室",),
        deputies=1,
        weight=0.3,
    ),
    OrganSpec(
        "disabled",
        ("{p}残疾人联合会",) * 3,
        R,
        "social",
        "理事长",
        "副理事长",
        ("办公室",),
        deputies=1,
        weight=0.3,
    ),
    OrganSpec(
        "party_school",
        ("中共{p}委党校",) * 3,
        INS,
        "organization",
        "常务副校长",
        "副校长",
        ("办公室", "教务{s}"),
        weight=0.6,
    ),
    OrganSpec(
        "media",
        ("{p}融媒体中心", "{p}新闻传媒中心", None),
        INS,
        "propaganda",
        "主任",
        "副主任",
        ("办公室", "新闻采编部"),
        weight=0.8,
    ),
    OrganSpec(
        "archives",
        ("{p}档案馆",) * 3,
        INS,
        "general",
        "馆长",
        "副馆长",
        ("办公室", "档案管理{s}"),
        deputies=1,
        weight=0.4,
    ),
    OrganSpec(
        "trading",
        ("{p}公共资源交易中心",) * 3,
        INS,
        "finance",
        "主任",
        "副主任",
        ("办公室", "交易服务{s}*"),
        deputies=1,
        weight=0.5,
        key_field=True,
    ),
    OrganSpec(
        "cdc",
        ("{p}疾病预防控制中心",) * 3,
        INS,
        "health",
        "主任",
        "副主任",
        ("办公室", "传染病防治{s}"),
        weight=0.6,
    ),
    OrganSpec(
        "investment",
        ("{p}投资促进中心",) * 3,
        INS,
        "economy",
        "主任",
        "副主任",
        ("办公室", "招商{s}"),
        deputies=1,
        weight=0.5,
    ),
    OrganSpec(
        "capital",
        ("{p}国有资本投资运营有限公司",) * 3,
        E,
        "enterprise_mgmt",
        "董事长",
        "副总经理",
        ("综合办公室", "财务部*", "投资发展部"),
        weight=0.8,
        key_field=True,
    ),
    OrganSpec(
        "urban_dev",
        ("{p}城市建设发展集团有限公司", "{p}城市建设发展集团有限公司", None),
        E,
        "enterprise_mgmt",
        "董事长",
        "副总经理",
        ("综合办公室", "工程管理部*", "财务部*"),
        weight=0.8,
        key_field=True,
    ),
    OrganSpec(
        "transport_inv",
        ("{p}交通投资集团有限公司",) * 3,
        E,
        "enterprise_mgmt",
        "董事长",
        "副总经理",
        ("综合办公室", "工程管理部*"),
        weight=0.6,
        key_field=True,
    ),
    OrganSpec(
        "water_group",
        ("{p}水务集团有限公司", "{p}水务集团有限公司", None),
        E,
        "enterprise_mgmt",
        "董事长",
        "副总经理",
        ("综合办公室", "生产运行部"),
        weight=0.5,
    ),
    OrganSpec(
        "college",
        (None, "{q}职业技术学院", "{p}海洋科技大学"),
        U,
        "education",
        "党委书记",
        "副校长",
        ("党委办公室", "教务处", "财务处*"),
        weight=1.0,
    ),
)

# Township posts: (title, grade, team role, headcount, field)
TOWN_POSTS = {
    "镇": (
        ("党委书记", 3, "head", 1, "general"),
        ("镇长", 3, "deputy", 1, "general"),
        ("党委副书记", 2, "deputy", 1, "general"),
        ("人大主席", 3, "member", 1, "general"),
        ("纪委书记", 2, "member", 1, "discipline"),
        ("组织委员", 2, "member", 1, "organization"),
        ("宣传委员", 2, "member", 1, "propaganda"),
        ("武装部长", 2, "member", 1, "general"),
        ("副镇长", 2, "deputy", 3, "general"),
    ),
    "街道": (
        ("党工委书记", 3, "head", 1, "general"),
        ("办事处主任", 3, "deputy", 1, "general"),
        ("党工委副书记", 2, "deputy", 1, "general"),
        ("纪工委书记", 2, "member", 1, "discipline"),
        ("武装部长", 2, "member", 1, "general"),
        ("办事处副主任", 2, "deputy", 3, "social"),
    ),
    "乡": (
        ("党委书记", 3, "head", 1, "general"),
        ("乡长", 3, "deputy", 1, "general"),
        ("党委副书记", 2, "deputy", 1, "general"),
        ("人大主席", 3, "member", 1, "general"),
        ("纪委书记", 2, "member", 1, "discipline"),
        ("组织委员", 2, "member", 1, "organization"),
        ("副乡长", 2, "deputy", 2, "agriculture"),
    ),
}
TOWN_OFFICES = (
    ("党政办公室", "general"),
    ("经济发展办公室", "economy"),
    ("社会事务办公室", "social"),
    ("平安建设办公室", "law"),
    ("村镇建设办公室", "planning"),
    ("农业农村办公室", "agriculture"),
)
TOWN_WEIGHT = {"镇": 1.8, "街道": 2.0, "乡": 1.0}
GENERAL_STEMS = ("办公室", "综合", "秘书", "党政办公室", "综合办公室", "党委办公室")


@dataclass(slots=True)
class UnitPlan:
    idx: int
    name: str
    kind: str
    region_code: str
    parent: int | None
    depth: int
    sort_order: int
    tier: str  # administrative tier: county, city or province
    field: str
    area: int  # the county, city or province unit this unit belongs to
    organ: int  # the unit whose leadership team covers it (itself for organs)
    has_team: bool
    civil_service: bool  # 职级 ladder applies (organs and towns, not firms or institutions)
    weight: float = 1.0


@dataclass(slots=True)
class PositionPlan:
    idx: int
    unit: int
    title: str
    grade: int
    field: str
    is_key_post: bool
    team_role: str  # head, deputy, member or "" (not in the team)
    seats: int  # cadres holding it now; staff posts get theirs from the allocation
    staff: bool = False
    headcount: int = 1  # 职数: the planned seats (a seat may stay vacant)

    @property
    def is_leadership(self) -> bool:
        return self.grade >= 2

    @property
    def leadership_level(self) -> str:
        return LEVEL_OF_GRADE.get(self.grade, "")


@dataclass
class TreePlan:
    units: list[UnitPlan] = field(default_factory=list)
    positions: list[PositionPlan] = field(default_factory=list)
    county_codes: list[str] = field(default_factory=list)

    def add_unit(self, **kw: object) -> UnitPlan:
        unit = UnitPlan(idx=len(self.units), **kw)  # type: ignore[arg-type]  # its fields
        self.units.append(unit)
        return unit

    def add_post(self, unit: UnitPlan, title: str, grade: int, **kw: object) -> PositionPlan:
        kw.setdefault("field", unit.field)
        kw.setdefault("is_key_post", False)
        kw.setdefault("team_role", "")
        kw.setdefault("seats", 1)
        post = PositionPlan(idx=len(self.positions), unit=unit.idx, title=title, grade=grade, **kw)  # type: ignore[arg-type]  # PositionPlan's own fields
        self.positions.append(post)
        return post


@dataclass(frozen=True)
class Area:
    """Naming context of one county, city or province."""

    tier: str
    name: str  # 青溪县, 钱江市, 浙江省
    code: str
    city: str  # the city above a county (for 市生态环境局某某分局)

    @property
    def stem(self) -> str:
        return self.name[:-1] if self.tier != "province" else self.name[:2]

    @property
    def suffix(self) -> str:
        return self.name[-1]


def _fill(template: str, area: Area) -> str:
    return template.format(p=area.name, t=area.suffix, c=area.city, q=area.stem)


def _internal_name(stem: str, tier: str) -> str:
    suffix = {"county": "科", "city": "科", "province": "处"}[tier]
    team = {"county": "大队", "city": "支队", "province": "总队"}[tier]
    return stem.replace("{s}", suffix).replace("{d}", team).rstrip("*")


def _internal_head(name: str) -> str:
    for end, title in (
        ("科", "科长"),
        ("处", "处长"),
        ("大队", "大队长"),
        ("支队", "支队长"),
        ("总队", "总队长"),
        ("组", "组长"),
        ("部", "部长"),
    ):
        if name.endswith(end):
            return title
    return "主任"


def build_tree(spec: ScaleSpec, seed: int) -> TreePlan:
    rng = random.Random(f"tree:{spec.code}:{seed}")
    plan = TreePlan()
    taken: set[str] = set()
    if spec.root == "county":
        city = names.CITY_NAMES[rng.randrange(len(names.CITY_NAMES))] + "市"
        city_no = rng.randint(1, 11)
        stem = names.place_name(rng, taken)
        area = Area("county", stem + "县", f"33{city_no:02d}{rng.randint(21, 30):02d}", city)
        _county(plan, rng, spec, area, None, 0, 0, taken)
    elif spec.root == "city":
        _city(plan, rng, spec, rng.randint(1, 11), None, 0, taken)
    else:
        prov = Area("province", "浙江省", "330000", "")
        root = _area_root(plan, prov, None, 0, 0)
        _organs(plan, rng, spec, prov, root, spec.upper_internals)
        for i in range(spec.cities):
            _city(plan, rng, spec, i + 1, root, 100 + i, taken)
    _allocate_staff(plan, spec.cadres)
    for post in plan.positions:
        post.headcount = max(post.seats, 1)
    return plan


def _city(
    plan: TreePlan,
    rng: random.Random,
    spec: ScaleSpec,
    no: int,
    parent: UnitPlan | None,
    order: int,
    taken: set[str],
) -> None:
    area = Area(
        "city", names.CITY_NAMES[(no - 1) % len(names.CITY_NAMES)] + "市", f"33{no:02d}00", ""
    )
    root = _area_root(plan, area, parent, order, parent.depth + 1 if parent else 0)
    _organs(plan, rng, spec, area, root, spec.upper_internals)
    n = rng.randint(*spec.counties)
    districts, county_cities = min(3, n // 3), 1 if n >= 6 else 0
    for i in range(n):
        stem = names.place_name(rng, taken)
        if i < districts:
            suffix, code = "区", f"{2 + i:02d}"
        elif i >= n - county_cities:
            suffix, code = "市", f"{81 + i - (n - county_cities):02d}"
        else:
            suffix, code = "县", f"{21 + i - districts:02d}"
        county = Area("county", stem + suffix, area.code[:4] + code, area.name)
        _county(plan, rng, spec, county, root, 200 + i, root.depth + 1, taken)


def _county(
    plan: TreePlan,
    rng: random.Random,
    spec: ScaleSpec,
    area: Area,
    parent: UnitPlan | None,
    order: int,
    depth: int,
    taken: set[str],
) -> None:
    plan.county_codes.append(area.code)
    root = _area_root(plan, area, parent, order, depth)
    _organs(plan, rng, spec, area, root, spec.internals)
    count = rng.randint(*spec.townships)
    streets = max(1, count // (3 if area.suffix == "区" else 5))
    xiang = 0 if area.suffix == "区" else max(0, count // 8)
    kinds = ["街道"] * streets + ["乡"] * xiang + ["镇"] * (count - streets - xiang)
    street_stems = list(names.STREET_STEMS)
    rng.shuffle(street_stems)
    town_stems = names.town_names(rng, count, set())
    for i, kind in enumerate(kinds):
        stem = street_stems[i] if kind == "街道" and i < len(street_stems) else town_stems[i]
        _township(plan, rng, spec, area, root, stem + kind, kind, 300 + i)


def _area_root(
    plan: TreePlan, area: Area, parent: UnitPlan | None, order: int, depth: int
) -> UnitPlan:
    unit = plan.add_unit(
        name=area.name,
        kind=area.tier,
        region_code=area.code,
        parent=parent.idx if parent else None,
        depth=depth,
        sort_order=order,
        tier=area.tier,
        field="general",
        area=-1,
        organ=-1,
        has_team=True,
        civil_service=True,
    )
    unit.area = unit.organ = unit.idx
    chief = AREA_CHIEF[area.tier]
    t = "省" if area.tier == "province" else area.suffix
    for title, grade, role, seats in (
        (f"{t}委书记", chief, "head", 1),
        (f"{t}长", chief, "deputy", 1),
        (f"{t}委副书记", chief - 1, "deputy", 1),
        (f"常务副{t}长", chief - 1, "deputy", 1),
        (f"副{t}长", chief - 1, "deputy", 4),
    ):
        plan.add_post(unit, title, grade, team_role=role, seats=seats, is_key_post=True)
    return unit


def _organs(
    plan: TreePlan,
    rng: random.Random,
    spec: ScaleSpec,
    area: Area,
    root: UnitPlan,
    internals: tuple[int, int],
) -> None:
    tier = TIER_INDEX[area.tier]
    order = 0
    for organ in ORGANS:
        template = organ.names[tier]
        if template is None or (spec.mini and not organ.mini):
            continue
        order += 1
        unit = plan.add_unit(
            name=_fill(template, area),
            kind=organ.kind,
            region_code=area.code,
            parent=root.idx,
            depth=root.depth + 1,
            sort_order=order,
            tier=area.tier,
            field=organ.field,
            area=root.idx,
            organ=-1,
            has_team=True,
            civil_service=organ.kind in (P, G, R),
            weight=organ.weight,
        )
        unit.organ = unit.idx
        base = AREA_CHIEF[area.tier] if organ.area_level else ORGAN_HEAD[area.tier]
        head = base + 1 if organ.standing and not organ.area_level else base
        plan.add_post(unit, organ.head, head, team_role="head", is_key_post=True)
        if organ.standing and not organ.area_level:
            plan.add_post(
                unit, "常务" + organ.deputy, base, team_role="deputy", is_key_post=organ.key_field
            )
            if organ.deputies > 1:
                plan.add_post(
                    unit,
                    organ.deputy,
                    base - 1,
                    team_role="deputy",
                    seats=organ.deputies - 1,
                    is_key_post=organ.key_field,
                )
        else:
            plan.add_post(
                unit,
                organ.deputy,
                head - 1,
                team_role="deputy",
                seats=organ.deputies,
                is_key_post=organ.key_field,
            )
        if organ.key == "police":
            plan.add_post(unit, "政治委员", head, team_role="deputy", is_key_post=True)
        k = min(rng.randint(*internals), len(organ.internals))
        for j, stem in enumerate(organ.internals[:k]):
            _internal(plan, unit, stem, base - 2, j + 1, organ.kind)
        if k == 0:
            plan.add_post(unit, _staff_title(organ.kind), 0, seats=0, staff=True)


def _internal(
    plan: TreePlan, organ: UnitPlan, stem: str, grade: int, order: int, kind: str
) -> None:
    short = _internal_name(stem, "province" if kind == U else organ.tier)
    general = short.startswith(GENERAL_STEMS)
    unit = plan.add_unit(
        name=organ.name + short,
        kind="internal",
        region_code=organ.region_code,
        parent=organ.idx,
        depth=organ.depth + 1,
        sort_order=order,
        tier=organ.tier,
        field="general" if general else organ.field,
        area=organ.area,
        organ=organ.idx,
        has_team=False,
        civil_service=organ.civil_service,
        weight=organ.weight,
    )
    head = _internal_head(short)
    key = stem.endswith("*")
    plan.add_post(unit, head, max(grade, 1), is_key_post=key and grade >= 2)
    if grade >= 3:
        plan.add_post(unit, "副" + head, grade - 1, is_key_post=False)
    plan.add_post(unit, _staff_title(kind), 0, seats=0, staff=True)


def _staff_title(kind: str) -> str:
    return {E: "职员", INS: "工作人员", U: "工作人员"}.get(kind, "科员")


def _township(
    plan: TreePlan,
    rng: random.Random,
    spec: ScaleSpec,
    area: Area,
    root: UnitPlan,
    name: str,
    kind: str,
    order: int,
) -> None:
    unit = plan.add_unit(
        name=name,
        kind="township",
        region_code=area.code,
        parent=root.idx,
        depth=root.depth + 1,
        sort_order=order,
        tier="county",
        field="general",
        area=root.idx,
        organ=-1,
        has_team=True,
        civil_service=True,
        weight=TOWN_WEIGHT[kind],
    )
    unit.organ = unit.idx
    for title, grade, role, seats, fld in TOWN_POSTS[kind]:
        plan.add_post(
            unit, title, grade, team_role=role, seats=seats, field=fld, is_key_post=role == "head"
        )
    k = rng.randint(*spec.town_offices)
    for j, (office, fld) in enumerate(TOWN_OFFICES[:k]):
        sub = plan.add_unit(
            name=name + office,
            kind="internal",
            region_code=area.code,
            parent=unit.idx,
            depth=unit.depth + 1,
            sort_order=j + 1,
            tier="county",
            field=fld,
            area=root.idx,
            organ=unit.idx,
            has_team=False,
            civil_service=True,
            weight=unit.weight,
        )
        plan.add_post(sub, "主任", 1)
        plan.add_post(sub, "科员", 0, seats=0, staff=True)
    if k == 0:
        plan.add_post(unit, "科员", 0, seats=0, staff=True)


def _allocate_staff(plan: TreePlan, target: int) -> None:
    """Gives staff posts seats in proportion to their unit's weight (largest remainder)."""
    fixed = sum(p.seats for p in plan.positions if not p.staff)
    staff = [p for p in plan.positions if p.staff]
    per_organ: dict[int, int] = {}
    for p in staff:
        organ = plan.units[plan.units[p.unit].organ].idx
        per_organ[organ] = per_organ.get(organ, 0) + 1
    weights = []
    for p in staff:
        unit = plan.units[p.unit]
        weights.append(unit.weight / per_organ[unit.organ] * (1.0 + 0.25 * (unit.tier != "county")))
    remaining = max(target - fixed, 0)
    total = sum(weights) or 1.0
    shares = [remaining * w / total for w in weights]
    seats = [int(s) for s in shares]
    order = sorted(range(len(staff)), key=lambda i: (seats[i] - shares[i], i))
    for i in order[: remaining - sum(seats)]:
        seats[i] += 1
    for p, n in zip(staff, seats, strict=True):
        p.seats = n
