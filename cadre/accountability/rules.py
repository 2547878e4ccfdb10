"""The measures ladder, influence periods and eligibility blocks, over plain values.

State sanctions are law and are code here (DOMAIN.md 3.1 [V1]):
  政务处分法(2020) 第八条 — periods: 警告 6, 记过 12, 记大过 18, 降级 24, 撤职 24 months, counted
    from the day the decision takes effect, which is the day it is made;
  政务处分法 第十五条 / 行政机关公务员处分条例(2007) 第十条第一款 — several identical sanctions
    (撤职 or lighter) decided together: one period between one period and their sum, ≤ 48 months;
  处分条例 第十条第二、三款 — a new sanction during a running one: the unserved rest of the old
    period plus the new period, ≤ 48 months.
Party and organizational periods are rulebook settings (DOMAIN.md 2.4, 2.5, 3.2: [V2]/[U]).

Periods are counted in months, everywhere (docs/decisions/006-period-arithmetic.md):
  * Day one is the effective day E: 政务处分法 第八条 counts "自处分决定生效之日起" (a rule of its
    own, which 民法典 第二百零四条 lets prevail over 第二百零一条's "开始的当日不计入"), and
    party and organizational periods are counted the same way.
  * A period of m months ends the day before E's corresponding day (对应日) in the m-th month
    after E (民法典 第二百零二条: 到期月的对应日为期间的最后一日, shifted by one because E
    itself is day one). Where that month has no corresponding day (E on the 29th–31st), the
    period ends on that month's last day (第二百零二条: 没有对应日的，月末日为期间的最后一日).
    2026-01-05 + 12 → 2027-01-04; 2026-03-01 + 1 → 2026-03-31; 2026-01-31 + 1 → 2026-02-28;
    2028-01-31 + 1 → 2028-02-29; 2028-02-29 + 12 → 2029-02-28.
  * A new state sanction during a running one (处分条例 第十条第二款): the new period follows
    the unserved rest of the old one, so it starts the day after the old one's last day and is
    counted in months from there: until = period_end(old.until + 1 day, new months), at most
    period_end(E_new, 48) (第十条第三款; 政务处分法 第十五条). The result records the old measure
    (`Period.chained_on`), so voiding it later recomputes the new one.
`until` is the last day, inclusive; the measure lifts automatically the day after (公务员法
第六十五条, 处分条例 第九条). An exempted measure (容错免责) stops having effect from the
exemption's decision date (`MeasureFact.void_from`); the days before keep the answer they had.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from cadre.core.rulebook import Rule, declare

# One exception for refused actions across supervision, accountability and tolerance, so a
# view catches one type; the message is shown as is (Chinese).
from cadre.supervision.rules import RuleError

# ---- kinds and categories ---------------------------------------------------------------

FIRST_FORM = "first_form"
ORG = "org"
PARTY = "party"
STATE = "state"
REFERRAL = "referral"

CATEGORY_LABELS = {
    FIRST_FORM: "提醒教育类(公务员法第五十七条)",
    ORG: "组织处理",
    PARTY: "党纪处分",
    STATE: "政务处分",
    REFERRAL: "移送",
}

KIND_CATEGORY: dict[str, str] = {
    "talk_reminder": FIRST_FORM,
    "criticism_education": FIRST_FORM,
    "ordered_self_inspection": FIRST_FORM,
    "admonishment": FIRST_FORM,
    "suspension_for_inspection": ORG,
    "job_reassignment": ORG,
    "reassign_other_post": ORG,
    "ordered_resignation": ORG,
    "removal": ORG,
    "demotion": ORG,
    "party_warning": PARTY,
    "party_serious_warning": PARTY,
    "removal_from_party_post": PARTY,
    "party_probation": PARTY,
    "expulsion_from_party": PARTY,
    "gov_warning": STATE,
    "gov_demerit": STATE,
    "gov_major_demerit": STATE,
    "gov_grade_reduction": STATE,
    "gov_dismissal": STATE,
    "gov_expulsion": STATE,
    "referral": REFERRAL,
}

# Severity within a category, lightest first (appeal may not make it heavier; lightening
# must make it lighter).
SEVERITY: dict[str, int] = {
    "talk_reminder": 1,
    "criticism_education": 2,
    "ordered_self_inspection": 3,
    "admonishment": 4,
    "suspension_for_inspection": 1,
    "job_reassignment": 2,
    "reassign_other_post": 3,
    "ordered_resignation": 4,
    "removal": 5,
    "demotion": 6,
    "party_warning": 1,
    "party_serious_warning": 2,
    "removal_from_party_post": 3,
    "party_probation": 4,
    "expulsion_from_party": 5,
    "gov_warning": 1,
    "gov_demerit": 2,
    "gov_major_demerit": 3,
    "gov_grade_reduction": 4,
    "gov_dismissal": 5,
    "gov_expulsion": 6,
    "referral": 1,
}

# Who may record a measure of each category (DESIGN.md 1: the organization department does
# reminders, inquiries, 诫勉 and organizational handling; discipline organs all of them).
RECORD_ROLES: dict[str, frozenset[str]] = {
    FIRST_FORM: frozenset({"org_admin", "discipline"}),
    ORG: frozenset({"org_admin", "discipline"}),
    PARTY: frozenset({"discipline"}),
    STATE: frozenset({"discipline"}),
    REFERRAL: frozenset({"discipline"}),
}

# 监督执纪"四种形态" (DOMAIN.md 3.3, 党内监督条例 第七条 [U]).
FORM_LABELS = {
    1: "第一种形态：批评教育、谈话提醒、诫勉等",
    2: "第二种形态：轻处分、组织调整",
    3: "第三种形态：重处分、重大职务调整",
    4: "第四种形态：严重违纪涉嫌违法立案审查",
}
FOUR_FORMS: dict[str, int] = {
    "talk_reminder": 1,
    "criticism_education": 1,
    "ordered_self_inspection": 1,
    "admonishment": 1,
    "party_warning": 2,
    "party_serious_warning": 2,
    "gov_warning": 2,
    "gov_demerit": 2,
    "gov_major_demerit": 2,
    "suspension_for_inspection": 2,
    "job_reassignment": 2,
    "reassign_other_post": 2,
    "removal_from_party_post": 3,
    "party_probation": 3,
    "expulsion_from_party": 3,
    "gov_grade_reduction": 3,
    "gov_dismissal": 3,
    "gov_expulsion": 3,
    "ordered_resignation": 3,
    "removal": 3,
    "demotion": 3,
    "referral": 4,
}


def category(kind: str) -> str:
    try:
        return KIND_CATEGORY[kind]
    except KeyError as exc:
        raise RuleError("处理措施种类无效") from exc


# ---- periods ------------------------------------------------------------------------------

# 政务处分法 第八条 (V1); 开除 has no period: employment ends (第二十六条, 处分条例 第九条).
STATE_PERIOD_MONTHS = {
    "gov_warning": 6,
    "gov_demerit": 12,
    "gov_major_demerit": 18,
    "gov_grade_reduction": 24,
    "gov_dismissal": 24,
}
MAX_PERIOD_MONTHS = 48  # 政务处分法 第十五条; 处分条例 第十条第三款

STATE_SOURCE = "公职人员政务处分法 第八条"
COMBINED_SOURCE = "公职人员政务处分法 第十五条"
NEW_DURING_SOURCE = "行政机关公务员处分条例 第十条第二、三款"

_PERIOD_RULES = [
    (
        "admonishment",
        "诫勉影响期(月)",
        6,
        "选拔任用条例(2019) 第二十四条(六) 受诫勉影响期未满不得提拔; "
        "期限全国文本未见, 常用6个月 [U]",
        "U",
    ),
    ("talk_reminder", "谈话提醒影响期(月)", 0, "公务员法 第五十七条: 非处分, 不设影响期 [U]", "U"),
    ("criticism_education", "批评教育影响期(月)", 0, "公务员法 第五十七条: 非处分 [U]", "U"),
    ("ordered_self_inspection", "责令检查影响期(月)", 0, "公务员法 第五十七条: 非处分 [U]", "U"),
    (
        "job_reassignment",
        "调整职务影响期(月)",
        12,
        "中国共产党组织处理规定(试行)(2021) 约第十五–十六条: 1年内不得提拔 [U]",
        "U",
    ),
    (
        "reassign_other_post",
        "改任其他职务影响期(月)",
        12,
        "组织处理规定(试行)(2021) 调整职务: 1年内不得提拔 [U]; 能上能下规定 改任其他职务",
        "U",
    ),
    (
        "ordered_resignation",
        "责令辞职影响期(月)",
        24,
        "组织处理规定(试行)(2021): 1年内不得安排领导职务, 2年内不得担任高于原职务层次的职务 [U]",
        "U",
    ),
    (
        "removal",
        "免职影响期(月)",
        24,
        "组织处理规定(试行)(2021): 1年内不得安排领导职务, 2年内不得担任高于原职务层次的职务 [U]",
        "U",
    ),
    ("demotion", "降职影响期(月)", 24, "组织处理规定(试行)(2021): 2年内不得提拔 [U]", "U"),
    (
        "party_warning",
        "党内警告影响期(月)",
        12,
        "中国共产党纪律处分条例(2023) 第十条: 一年内不得在党内提拔职务或者进一步使用 [V2]",
        "V2",
    ),
    (
        "party_serious_warning",
        "党内严重警告影响期(月)",
        18,
        "中国共产党纪律处分条例(2023) 第十条: 一年半内不得在党内提拔职务或者进一步使用 [V2]",
        "V2",
    ),
    (
        "removal_from_party_post",
        "撤销党内职务影响期(月)",
        24,
        "中国共产党纪律处分条例(2023) 约第十一条: 二年内不得担任相当或者高于原职务 [V2]",
        "V2",
    ),
    (
        "party_probation_after",
        "留党察看恢复党员权利后影响期(月)",
        24,
        "中国共产党纪律处分条例(2023) 约第十二条: 恢复权利后二年内不得担任相当或者高于原职务 [V2]",
        "V2",
    ),
]
PERIOD_SETTINGS: dict[str, Rule] = {
    kind: declare(
        Rule(
            key=f"accountability.period.{kind}",
            label=label,
            default=default,
            source=source,
            tag=tag,
        )
    )
    for kind, label, default, source, tag in _PERIOD_RULES
}
EXCELLENT_BLOCK_DECISION_YEAR = declare(
    Rule(
        key="accountability.excellent_block_decision_year",
        label="受诫勉、组织处理或处分当年不得评为优秀",
        default=True,
        source="党政领导干部考核工作条例(2019) 不得确定为优秀等次的情形 [U]",
        tag="U",
    )
)
INQUIRY_REPLY_WORKING_DAYS = declare(
    Rule(
        key="accountability.inquiry_reply_working_days",
        label="函询回复期限(工作日)",
        default=15,
        source="中国共产党纪律检查机关监督执纪工作规则(2019) 函询条款(约第二十一–二十四条) [U]",
        tag="U",
    )
)


def period_end(effective_on: date, months: int) -> date:
    """Last day (inclusive) of a period of `months` counted from `effective_on` (day one).

    The day before the corresponding day in the `months`-th month after; the month's last day
    where that month has none (民法典 第二百零二条; see the module docstring).
    """
    month0 = effective_on.month - 1 + months
    year, month = effective_on.year + month0 // 12, month0 % 12 + 1
    last = calendar.monthrange(year, month)[1]
    if effective_on.day > last:
        return date(year, month, last)
    return date(year, month, effective_on.day) - timedelta(days=1)


@dataclass(frozen=True)
class Period:
    # The measure's own period in months (第八条, 第十五条 or the setting); None: open-ended.
    # For a chained one `until` also covers the unserved rest of the earlier measure.
    months: int | None
    until: date | None  # last day inclusive; None with months None = open-ended
    basis: str  # how it was computed, with the article or setting
    open_ended: bool = False
    chained_on: int | None = None  # `Running.ref` of the measure whose rest was added


NO_PERIOD = Period(0, None, "不设影响期")


@dataclass(frozen=True)
class Running:
    """A counting state sanction already in force for the same cadre."""

    kind: str
    effective_on: date
    until: date
    ref: int | None = None  # the caller's id for it (a Measure pk), handed back in the Period


def state_period(
    kind: str,
    effective_on: date,
    *,
    combined_count: int = 1,
    combined_months: int | None = None,
    running: Iterable[Running] = (),
) -> Period:
    """Period of a state sanction (政务处分), exact from the law, in months."""
    if kind == "gov_expulsion":
        return Period(None, None, "开除：解除人事关系，不得再担任公务员职务(处分条例 第九条)", True)
    base = STATE_PERIOD_MONTHS[kind]
    months, basis = base, f"{STATE_SOURCE}：{_label(kind)}{base}个月"
    if combined_count > 1 or combined_months is not None:
        months = combined_period(kind, combined_count, combined_months)
        basis = f"{COMBINED_SOURCE}：{combined_count}个相同处分合并确定{months}个月"
    live = [r for r in running if r.effective_on <= effective_on <= r.until]
    if not live:
        return Period(months, period_end(effective_on, months), basis)
    # 处分条例 第十条第二款: the new period runs on from the day after the old one's last day;
    # 第三款: the whole at most 48 months from the new one's effective day.
    old = max(live, key=lambda r: r.until)
    summed = period_end(old.until + timedelta(days=1), months)
    cap = period_end(effective_on, MAX_PERIOD_MONTHS)
    basis += (
        f"；{NEW_DURING_SOURCE}：原{_label(old.kind)}处分期尚未执行部分"
        f"（{effective_on.isoformat()}至{old.until.isoformat()}）与新处分期{months}个月相加"
        + ("，超过48个月按48个月计" if summed > cap else "")
    )
    return Period(months, min(summed, cap), basis, chained_on=old.ref)


def combined_period(kind: str, count: int, chosen: int | None) -> int:
    """第十五条: between one period and the sum of the periods, never above 48 months."""
    if kind not in STATE_PERIOD_MONTHS:
        raise RuleError("只有撤职以下的相同政务处分可以合并确定处分期（政务处分法第十五条）")
    if count < 2:
        raise RuleError("合并确定处分期需要两个以上相同的违法行为")
    base = STATE_PERIOD_MONTHS[kind]
    upper = min(base * count, MAX_PERIOD_MONTHS)
    months = upper if chosen is None else chosen
    if not base <= months <= upper:
        raise RuleError(
            f"合并处分期应在{base}个月以上、{upper}个月以下（政务处分法第十五条，最长48个月）"
        )
    return months


def settings_period(
    kind: str, effective_on: date, table: dict[str, int | None], probation_years: int = 0
) -> Period:
    """Party and organizational periods from the rulebook (values in `table`)."""
    if kind == "expulsion_from_party":
        return Period(None, None, "开除党籍：五年内不得重新入党(纪律处分条例)", True)
    if kind == "suspension_for_inspection":
        return Period(None, None, "停职检查：至作出处理决定、解除停职之日止", True)
    if kind == "referral":
        return Period(None, None, "移送审查调查：至办结之日止", True)
    if kind == "party_probation":
        if probation_years not in (1, 2):
            raise RuleError("留党察看期限只能为一年或二年（纪律处分条例）")
        after = int(table.get("party_probation_after") or 0)
        months = probation_years * 12 + after
        return Period(
            months,
            period_end(effective_on, months),
            f"留党察看{probation_years}年，恢复党员权利后{after}个月(规则设置)",
        )
    configured = table.get(kind)
    if not configured:
        return NO_PERIOD
    months = int(configured)
    rule = PERIOD_SETTINGS[kind]
    return Period(
        months,
        period_end(effective_on, months),
        f"{rule.label}{configured}个月（规则设置：{rule.source}）",
    )


def _label(kind: str) -> str:
    return {
        "gov_warning": "警告",
        "gov_demerit": "记过",
        "gov_major_demerit": "记大过",
        "gov_grade_reduction": "降级",
        "gov_dismissal": "撤职",
    }.get(kind, kind)


# ---- checks on a new measure -----------------------------------------------------------


def check_dates(
    kind: str, decided_on: date, effective_on: date, today: date, probation_years: int | None
) -> None:
    if decided_on > today:
        raise RuleError("决定日期不能晚于今天")
    if effective_on < decided_on:
        raise RuleError("生效日期不能早于决定日期")
    if category(kind) == STATE and effective_on != decided_on:
        raise RuleError(
            "政务处分决定自作出之日起生效，生效日期应与决定日期相同（政务处分法第八条）"
        )
    if kind == "party_probation" and probation_years not in (1, 2):
        raise RuleError("留党察看期限只能为一年或二年")
    if kind != "party_probation" and probation_years:
        raise RuleError("只有留党察看需要填写察看期限")


def check_replacement(original: str, replacement: str, *, must_be_lighter: bool) -> None:
    """Appeal (复审/复核) cannot make it heavier (政务处分法 第六十一条 spirit); lightening
    (从轻/减轻) must give a lighter measure of the same system, or a first-form one."""
    if category(replacement) == FIRST_FORM and category(original) != FIRST_FORM:
        return
    if category(replacement) != category(original):
        raise RuleError("变更后的处理措施应属于同一类别")
    if SEVERITY[replacement] > SEVERITY[original]:
        raise RuleError("复审、复核和从轻减轻都不得加重处理")
    if must_be_lighter and SEVERITY[replacement] == SEVERITY[original]:
        raise RuleError("从轻或减轻处理应选择更轻的处理措施")


# ---- eligibility (DOMAIN.md 10, 3.1, 1.5, 5) -----------------------------------------------

PROMOTION_SOURCE = "党政领导干部选拔任用工作条例(2019) 第二十四条(六)"
RANK_SOURCE_STATE = "公职人员政务处分法 第十九条"
RANK_SOURCE_OTHER = "公务员职务与职级并行规定(2019)、选拔任用条例 第二十四条(六) 参照 [U]"
EXCELLENT_SOURCE = "党政领导干部考核工作条例(2019)、公务员考核规定(2020) [U]"
REFERRAL_SOURCE = "立案审查调查期间不得提拔、晋升或评优 [U]"

# Measures whose influence blocks: 诫勉, 组织处理, 党纪处分, 政务处分 (第二十四条(六)), and an open
# referral. Reminder, criticism and ordered self-inspection are not blocks.
BLOCKING_KINDS = frozenset(
    k for k, c in KIND_CATEGORY.items() if c in (ORG, PARTY, STATE, REFERRAL)
) | {"admonishment"}


@dataclass(frozen=True)
class MeasureFact:
    kind: str
    label: str
    effective_on: date
    until: date | None
    open_ended: bool
    ended_on: date | None = None  # for open-ended ones: the day it ended (exclusive)
    # 容错免责: no effect from this day on (the exemption's decision date); before it, the
    # measure had its effect and keeps it in every answer about those days.
    void_from: date | None = None


@dataclass
class Verdict:
    eligible: bool = True
    blocks: list[dict[str, object]] = field(default_factory=list)

    def add(self, reason: str, source: str, until: date | None) -> None:
        self.eligible = False
        self.blocks.append({"reason": reason, "source": source, "until": until})


def in_force(m: MeasureFact, on: date) -> bool:
    if on < m.effective_on or (m.void_from is not None and on >= m.void_from):
        return False
    if m.open_ended:
        return m.ended_on is None or on < m.ended_on
    return m.until is not None and on <= m.until


def eligibility(
    measures: Iterable[MeasureFact], on: date, *, block_decision_year: bool
) -> dict[str, Verdict]:
    """Promotion (提拔/列为考察对象), 优秀 grade, rank promotion (职级晋升) on day `on`.

    Revoked and superseded measures never come in (the caller leaves them out); an exempted
    one (容错免责) comes in with `void_from` and blocks only days before it, its blocks ending
    the day before. Every block says why, under which rule, and until when.
    """
    verdicts = {"promotion": Verdict(), "excellent_grade": Verdict(), "rank_promotion": Verdict()}
    for m in sorted(measures, key=lambda x: (x.effective_on, x.kind)):
        if m.kind not in BLOCKING_KINDS or (m.void_from is not None and on >= m.void_from):
            continue
        active = in_force(m, on)
        until = _voided(None if m.open_ended else m.until, m)
        state = KIND_CATEGORY[m.kind] == STATE
        referral = m.kind == "referral"
        if active:
            reason = f"{m.label}（{m.effective_on.isoformat()}起）影响期内"
            verdicts["promotion"].add(
                reason, REFERRAL_SOURCE if referral else PROMOTION_SOURCE, until
            )
            rank_source = RANK_SOURCE_STATE if state else RANK_SOURCE_OTHER
            verdicts["rank_promotion"].add(
                reason, REFERRAL_SOURCE if referral else rank_source, until
            )
        year_end = date(m.effective_on.year, 12, 31)
        same_year = block_decision_year and m.effective_on <= on and m.effective_on.year == on.year
        if active or same_year:
            ends = (
                None
                if until is None and active
                else _voided(max(d for d in (until, year_end) if d), m)
            )
            why = f"{m.label}（{m.effective_on.isoformat()}起）" + (
                "影响期内" if active else "当年"
            )
            verdicts["excellent_grade"].add(why, EXCELLENT_SOURCE, ends)
    return verdicts


def _voided(last: date | None, m: MeasureFact) -> date | None:
    """A block of an exempted measure ends at the latest the day before the exemption."""
    if m.void_from is None:
        return last
    day_before = m.void_from - timedelta(days=1)
    return day_before if last is None else min(last, day_before)


def as_json(cadre_id: int, on: date, verdicts: dict[str, Verdict]) -> dict[str, object]:
    out: dict[str, object] = {"cadre": cadre_id, "on": on.isoformat()}
    for key, v in verdicts.items():
        out[key] = {
            "eligible": v.eligible,
            "blocks": [
                {
                    "reason": b["reason"],
                    "source": b["source"],
                    "until": b["until"].isoformat() if isinstance(b["until"], date) else None,
                }
                for b in v.blocks
            ],
        }
    return out


# ---- 函询 and rectification workflows --------------------------------------------------------

INQUIRY_TRANSITIONS: dict[str, set[str]] = {
    "sent": {"replied"},
    "replied": {"closed"},
    "closed": set(),
}
INQUIRY_OUTCOMES = {
    "clarified": "澄清了结",
    "reminder": "谈话提醒",
    "admonishment": "诫勉",
    "further_verification": "进一步核实(初核/立案)",
}
OUTCOME_MEASURE = {"reminder": "talk_reminder", "admonishment": "admonishment"}


# ---- notices: redaction -----------------------------------------------------------------


def mask_name(name: str) -> str:
    """王小明 → 王某某, 王明 → 王某: the usual form in published notices."""
    name = name.strip()
    if len(name) <= 1:
        return "某"
    return name[0] + "某" * min(len(name) - 1, 2)


def redact(text: str, names: Iterable[str], terms: Iterable[str] = ()) -> str:
    """Masks the chosen names (longest first, so 王小明 is masked before 王小) and replaces
    other chosen terms with ＊＊."""
    out = text
    for name in sorted({n.strip() for n in names if n.strip()}, key=len, reverse=True):
        out = out.replace(name, mask_name(name))
    for term in sorted({t.strip() for t in terms if t.strip()}, key=len, reverse=True):
        out = out.replace(term, "＊＊")
    return out


# ---- registry effects of measures (issue 11) ------------------------------------------------


@dataclass(frozen=True)
class RegistryEffect:
    """What recording a measure does to the registry (cadres.services): `change_post` with
    `effect`, or the end of employment with `status`. `position`: whether the form's new
    position (拟任职位) is "", "optional" or "required"; `rank`: whether it takes the rank after
    it (职级; left empty, one step lower)."""

    label: str
    effect: str = ""
    status: str = ""
    position: str = ""
    rank: bool = False


REGISTRY_EFFECTS: dict[str, RegistryEffect] = {
    "removal": RegistryEffect("免职", effect="removal"),
    # 责令辞职 ends the leading post, as a 免职 does.
    "ordered_resignation": RegistryEffect("责令辞职", effect="removal"),
    "demotion": RegistryEffect("降职", effect="demotion", position="optional", rank=True),
    "job_reassignment": RegistryEffect("调整职务", effect="reassign", position="optional"),
    "reassign_other_post": RegistryEffect("改任其他职务", effect="reassign", position="required"),
    # 政务处分法 第十九条: 撤职 lowers the post and the rank.
    "gov_dismissal": RegistryEffect(
        "撤职", effect="dismissal_from_post", position="optional", rank=True
    ),
    # 政务处分法 第七条(六): 开除 ends the employment.
    "gov_expulsion": RegistryEffect("开除", status="expelled"),
}


def registry_effect(kind: str, *, has_position: bool, has_rank: bool) -> RegistryEffect | None:
    """The registry effect of a measure of `kind`, after checking the new position and rank
    the form gave for it; None: the measure changes no post, rank or employment."""
    found = REGISTRY_EFFECTS.get(kind)
    if found is None:
        if has_position or has_rank:
            raise RuleError("该处理措施不调整任职和职级，请不要填写拟任职位和职级")
        return None
    if has_position and not found.position:
        raise RuleError(f"{found.label}不任新职务，请不要填写拟任职位")
    if found.position == "required" and not has_position:
        raise RuleError(f"{found.label}请填写拟任职位")
    if has_rank and not found.rank:
        raise RuleError(f"{found.label}不调整职级，请不要填写职级")
    return found


# ---- 政务处分法 第五十四条: post, rank and pay changed within a month -----------------------

PERSONNEL_SOURCE = "公职人员政务处分法 第五十四条"
# 降级以上: 降级, 撤职, 开除.
PERSONNEL_FOLLOW_UP_KINDS = frozenset({"gov_grade_reduction", "gov_dismissal", "gov_expulsion"})
PERSONNEL_MONTHS = 1  # 作出政务处分决定后一个月内办理职务、工资及其他有关待遇等的变更手续
PERSONNEL_MAX_MONTHS = 6  # 特殊情况下经批准可以适当延长，但最长不得超过六个月


def personnel_due(decided_on: date) -> date:
    """Last day for the personnel office to change post, rank and pay (第五十四条): one month
    counted from the decision day, by `period_end` (decision 006)."""
    return period_end(decided_on, PERSONNEL_MONTHS)


def personnel_latest(decided_on: date) -> date:
    """The latest day an extension may reach: six months, counted the same way."""
    return period_end(decided_on, PERSONNEL_MAX_MONTHS)


def check_personnel_extension(decided_on: date, deadline: date, until: date) -> None:
    """An extension moves the deadline later, never beyond six months (第五十四条)."""
    if until <= deadline:
        raise RuleError(f"延长后的期限应晚于当前办理期限（{deadline.isoformat()}）")
    latest = personnel_latest(decided_on)
    if until > latest:
        raise RuleError(
            f"办理期限最长不得超过作出政务处分决定后六个月（至{latest.isoformat()}，"
            f"{PERSONNEL_SOURCE}）"
        )


def check_personnel_done(decided_on: date, done_on: date, today: date) -> None:
    if done_on < decided_on or done_on > today:
        raise RuleError("办结日期应在处分决定日期之后且不晚于今天")
