"""Name, ethnicity and specialty tables for synthetic cadres, and pickers over them.

Figures are approximate shares, good enough to make the data look real; they are not
statistics to quote. Every picker takes the caller's `random.Random`, so output is fixed
by the seed.
"""

import random
from bisect import bisect
from itertools import accumulate

# Surnames with rough shares (per mille) in Zhejiang, where 王/陈 lead and 徐, 吴, 周, 胡,
# 金, 方, 叶, 潘, 沈, 俞, 楼, 应 are far more common than nationally.
SURNAMES: tuple[tuple[str, float], ...] = (
    ("王", 78),
    ("陈", 75),
    ("张", 52),
    ("李", 43),
    ("徐", 34),
    ("吴", 32),
    ("周", 29),
    ("胡", 26),
    ("杨", 23),
    ("朱", 22),
    ("林", 21),
    ("金", 20),
    ("黄", 20),
    ("刘", 19),
    ("方", 17),
    ("何", 16),
    ("郑", 16),
    ("叶", 15),
    ("潘", 14),
    ("蒋", 13),
    ("沈", 13),
    ("俞", 10),
    ("孙", 10),
    ("楼", 8),
    ("应", 8),
    ("钱", 8),
    ("毛", 8),
    ("赵", 8),
    ("汪", 7),
    ("章", 7),
    ("邵", 7),
    ("洪", 6),
    ("许", 6),
    ("丁", 6),
    ("傅", 6),
    ("姚", 6),
    ("郭", 6),
    ("马", 5),
    ("高", 5),
    ("罗", 5),
    ("梁", 5),
    ("宋", 5),
    ("韩", 5),
    ("唐", 5),
    ("冯", 5),
    ("董", 5),
    ("程", 5),
    ("曹", 4),
    ("袁", 4),
    ("邓", 4),
    ("蔡", 4),
    ("余", 4),
    ("杜", 4),
    ("戴", 4),
    ("夏", 4),
    ("卢", 4),
    ("施", 4),
    ("严", 4),
    ("陆", 4),
    ("谢", 4),
    ("鲍", 3),
    ("虞", 3),
    ("裘", 3),
    ("孔", 3),
    ("范", 3),
    ("宣", 3),
    ("柴", 3),
    ("厉", 2),
    ("葛", 2),
    ("任", 2),
    ("屠", 2),
    ("骆", 2),
    ("单", 2),
    ("翁", 2),
    ("华", 2),
    ("江", 2),
    ("诸葛", 0.3),
    ("欧阳", 0.3),
    ("司马", 0.1),
)

# Given-name characters. Two-character given names are about four in five.
MALE_CHARS = (
    "伟强磊军勇杰涛斌超明华建国峰平辉刚波鹏林宇浩晨俊文志海东亮飞凯健锋翔毅哲昊睿航"
    "立新军民荣庆春永成忠德福兴良栋彬宏洪炜骏逸帆晖铭杭"
)
FEMALE_CHARS = (
    "芳娟敏静丽艳燕玲霞婷雪慧颖琳佳洁倩晶萍红英梅琴瑶欣怡悦蕾露薇莉娜丹虹燕菁蓉婕璐琦瑜晓岚"
)
NEUTRAL_CHARS = "晓春小海文建雅思一佳子宇嘉益程乐安宁永立"

# Ethnic groups with rough shares among Zhejiang officials: Han above 99%; 畲族 is the
# province's own minority (景宁 is the only 畲族 autonomous county in China).
ETHNICITIES: tuple[tuple[str, float], ...] = (
    ("汉族", 9915),
    ("畲族", 40),
    ("回族", 10),
    ("土家族", 8),
    ("苗族", 7),
    ("满族", 5),
    ("蒙古族", 3),
    ("布依族", 3),
    ("壮族", 3),
    ("侗族", 3),
    ("彝族", 2),
    ("朝鲜族", 1),
)

# Specialties by field of work (WorkField values), plus general ones.
SPECIALTIES: dict[str, tuple[str, ...]] = {
    "general": ("汉语言文学", "行政管理", "公共管理", "法学", "历史学", "秘书学"),
    "finance": ("财政学", "会计学", "审计学", "金融学", "税收学"),
    "planning": ("城乡规划", "土木工程", "建筑学", "工程管理", "测绘工程"),
    "petition": ("法学", "社会工作", "行政管理"),
    "economy": ("经济学", "国际经济与贸易", "统计学", "工商管理", "产业经济学"),
    "agriculture": ("农学", "农林经济管理", "园艺", "水利水电工程", "林学"),
    "environment": ("环境工程", "环境科学", "生态学", "化学工程与工艺"),
    "law": ("法学", "侦查学", "治安学", "刑事科学技术"),
    "education": ("教育学", "汉语言文学", "数学与应用数学", "计算机科学与技术"),
    "health": ("临床医学", "公共卫生", "预防医学", "护理学", "药学"),
    "social": ("社会工作", "社会学", "劳动与社会保障", "行政管理"),
    "organization": ("人力资源管理", "行政管理", "思想政治教育", "法学"),
    "discipline": ("法学", "审计学", "会计学", "思想政治教育"),
    "propaganda": ("新闻学", "汉语言文学", "广播电视学", "网络与新媒体"),
    "enterprise_mgmt": ("工商管理", "会计学", "金融学", "土木工程", "市场营销"),
}


class Weighted:
    """A weighted choice table (bisect over cumulative weights)."""

    def __init__(self, items: tuple[tuple[str, float], ...]) -> None:
        self.values = [v for v, _ in items]
        self.cum = list(accumulate(w for _, w in items))

    def pick(self, rng: random.Random) -> str:
        return self.values[bisect(self.cum, rng.random() * self.cum[-1])]


_SURNAMES = Weighted(SURNAMES)
_ETHNICITIES = Weighted(ETHNICITIES)


def person_name(rng: random.Random, gender: str) -> str:
    pool = MALE_CHARS if gender == "M" else FEMALE_CHARS
    first = rng.choice(pool + NEUTRAL_CHARS) if rng.random() < 0.8 else ""
    return _SURNAMES.pick(rng) + first + rng.choice(pool)


def ethnicity(rng: random.Random) -> str:
    return _ETHNICITIES.pick(rng)


def specialty(rng: random.Random, field: str) -> str:
    if rng.random() < 0.6 and field in SPECIALTIES:
        return rng.choice(SPECIALTIES[field])
    return rng.choice(SPECIALTIES[rng.choice(list(SPECIALTIES))])


# Place-name syllables for invented counties, towns and streets in a Zhejiang style.
PLACE_FIRST = "青白云临安凤兰桐石清梅柳龙仙天东南西北金玉丹紫平永长新宁泰嘉乐德瑞文江湖海溪松竹"
PLACE_SECOND = "溪江山湖川源阳宁安平泉岭峰城桥浦塘岩潭港田坞垟岙渡埠林洋口头"
# Towns named after a feature (e.g. 白沙, 横溪, 大陈) rather than two random syllables.
TOWN_STEMS = (
    "白沙",
    "横溪",
    "大陈",
    "桃源",
    "梅岭",
    "枫桥",
    "湖塘",
    "双溪",
    "龙泉",
    "石门",
    "柳溪",
    "花园",
    "新塘",
    "下沙",
    "上塘",
    "古竹",
    "前仓",
    "后宅",
    "章村",
    "马岙",
    "泗洲",
    "三门",
    "六石",
    "九龙",
    "千窑",
    "黄泽",
    "仙居",
    "水阁",
    "金沙",
    "银湖",
    "杏湖",
    "茶园",
    "竹口",
    "松源",
    "莲都",
    "溪口",
    "岩头",
    "洋溪",
    "坞根",
    "大溪",
    "小溪",
    "长街",
    "西店",
    "东塍",
    "南岙",
    "北门",
    "汀洲",
    "壶镇",
    "新河",
    "塘下",
    "芦浦",
    "泽国",
    "温峤",
    "清港",
    "峰江",
)
STREET_STEMS = ("城东", "城西", "城南", "城北", "城关", "江滨", "湖滨", "新城", "古城", "月湖")
# Invented prefecture-level cities (3301..3311 keep the pattern of Zhejiang's codes).
CITY_NAMES = (
    "钱江",
    "明州",
    "东瓯",
    "禾兴",
    "苕溪",
    "越州",
    "婺州",
    "信安",
    "岱海",
    "台岳",
    "栝苍",
)


def place_name(rng: random.Random, taken: set[str]) -> str:
    """A two-character place name not yet in `taken` (which it then joins)."""
    for _ in range(200):
        name = rng.choice(PLACE_FIRST) + rng.choice(PLACE_SECOND)
        if name not in taken and name[0] != name[1]:
            taken.add(name)
            return name
    raise RuntimeError("place names exhausted")


def town_names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    stems = [s for s in TOWN_STEMS if s not in taken]
    rng.shuffle(stems)
    chosen = stems[:count]
    while len(chosen) < count:
        chosen.append(place_name(rng, taken))
    taken.update(chosen)
    return chosen
