"""Training: the only writers of the catalogue, enrolments, attendance and follow-up,
plus the set-based reads other apps use (`training_hours`, needs for a scope)."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum

from cadre.accounts.models import User
from cadre.audit.services import record_event
from cadre.cadres.models import Appointment, Cadre
from cadre.development import rules
from cadre.development.models import (
    Attendance,
    Enrolment,
    EnrolmentStatus,
    SessionStatus,
    TrainingEvaluation,
    TrainingFollowUp,
    TrainingKind,
    TrainingProgramme,
    TrainingResult,
    TrainingSession,
    TrainingTopic,
)
from cadre.development.services.base import (
    DevelopmentError,
    check_dates,
    require,
    roll_up,
    setting_decimal,
    setting_int,
)
from cadre.orgs.models import OrgUnit, WorkField

# --- catalogue -------------------------------------------------------------------------------


def _clean_fields(work_fields: Iterable[str]) -> list[str]:
    fields = sorted(set(work_fields))
    bad = [f for f in fields if f not in WorkField.values]
    require(not bad, f"工作领域无效：{'、'.join(bad)}")
    return fields


@transaction.atomic
def create_topic(*, by: User, name: str, work_fields: Iterable[str]) -> TrainingTopic:
    name = name.strip()
    require(name, "请填写专题名称")
    require(not TrainingTopic.objects.filter(name=name).exists(), f"专题“{name}”已存在")
    topic = TrainingTopic.objects.create(name=name, work_fields=_clean_fields(work_fields))
    record_event(actor=by, action="create", obj=topic)
    return topic


@transaction.atomic
def update_topic(
    *, by: User, topic: TrainingTopic, work_fields: Iterable[str], is_active: bool
) -> TrainingTopic:
    topic.work_fields = _clean_fields(work_fields)
    topic.is_active = is_active
    topic.save(update_fields=["work_fields", "is_active", "updated_at"])
    record_event(actor=by, action="change", obj=topic, detail={"work_fields": topic.work_fields})
    return topic


@transaction.atomic
def create_programme(
    *,
    by: User,
    name: str,
    kind: str,
    topics: Iterable[TrainingTopic],
    trainer: str,
    org_unit: OrgUnit,
    description: str = "",
) -> TrainingProgramme:
    require(name.strip(), "请填写培训项目名称")
    require(kind in TrainingKind.values, "培训类别无效")
    require(trainer.strip(), "请填写授课教师或承办机构")
    programme = TrainingProgramme.objects.create(
        name=name.strip(),
        kind=kind,
        trainer=trainer.strip(),
        org_unit=org_unit,
        description=description,
    )
    programme.topics.set(list(topics))
    record_event(actor=by, action="create", obj=programme)
    return programme


@transaction.atomic
def create_session(
    *,
    by: User,
    programme: TrainingProgramme,
    title: str,
    starts_on: date,
    ends_on: date,
    place: str,
    capacity: int,
    hours: Decimal,
) -> TrainingSession:
    check_dates(starts_on, ends_on, "培训班次")
    require(capacity >= 1, "计划人数至少为1")
    require(Decimal(0) < hours <= Decimal(2000), "计划学时应大于0且不超过2000")
    require(title.strip() and place.strip(), "请填写班次名称和培训地点")
    session = TrainingSession.objects.create(
        programme=programme,
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        place=place.strip(),
        capacity=capacity,
        hours=hours,
    )
    record_event(actor=by, action="create", obj=session)
    return session


@transaction.atomic
def close_session(*, by: User, session: TrainingSession) -> TrainingSession:
    locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
    require(locked.status == SessionStatus.OPEN, "该班次不是报名中状态，不能结业")
    locked.status = SessionStatus.CLOSED
    locked.save(update_fields=["status", "updated_at"])
    record_event(actor=by, action="close", obj=locked)
    return locked


# --- enrolment and attendance ---------------------------------------------------------------


def _lock_open_session(session: TrainingSession) -> TrainingSession:
    locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
    require(
        locked.status == SessionStatus.OPEN,
        f"班次“{locked.title}”为{locked.get_status_display()}状态，不能报名",
    )
    return locked


@transaction.atomic
def enrol(*, by: User, session: TrainingSession, cadres: list[Cadre]) -> list[Enrolment]:
    """Enrols cadres in one go: all or none (同一班次不得重复报名; capacity)."""
    require(cadres, "请选择报名的干部")
    locked = _lock_open_session(session)
    ids = [c.pk for c in cadres]
    require(len(set(ids)) == len(ids), "报名名单中有重复的干部（同一班次不得重复报名）")
    already = list(
        Enrolment.objects.filter(session=locked, cadre_id__in=ids).values_list(
            "cadre__name", flat=True
        )
    )
    require(not already, f"{'、'.join(already)}已报名本班次（同一班次不得重复报名）")
    taken = (
        Enrolment.objects.filter(session=locked).exclude(status=EnrolmentStatus.WITHDRAWN).count()
    )
    require(
        taken + len(ids) <= locked.capacity,
        f"超出班次计划人数（计划{locked.capacity}人，已报{taken}人，本次{len(ids)}人）",
    )
    rows = [Enrolment(session=locked, cadre_id=i, year=locked.starts_on.year) for i in ids]
    try:
        with transaction.atomic():
            created = Enrolment.objects.bulk_create(rows)
    except IntegrityError as exc:  # a concurrent enrolment of the same cadre
        raise DevelopmentError("该干部已报名本班次（同一班次不得重复报名）") from exc
    record_event(actor=by, action="enrol", obj=locked, detail={"cadres": ids})
    return created


@transaction.atomic
def withdraw(*, by: User, enrolment: Enrolment) -> Enrolment:
    locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    require(locked.status == EnrolmentStatus.ENROLLED, "只有已报名状态可以退训")
    locked.status = EnrolmentStatus.WITHDRAWN
    locked.save(update_fields=["status", "updated_at"])
    record_event(actor=by, action="withdraw", obj=locked)
    return locked


@transaction.atomic
def record_attendance(
    *, by: User, enrolment: Enrolment, day: date, hours: Decimal, present: bool = True
) -> Attendance:
    locked = Enrolment.objects.select_for_update().select_related("session").get(pk=enrolment.pk)
    session = locked.session
    require(locked.status != EnrolmentStatus.WITHDRAWN, "已退训的学员不能登记考勤")
    require(
        session.starts_on <= day <= session.ends_on,
        f"考勤日期{day:%Y-%m-%d}不在班次起止日期"
        f"（{session.starts_on:%Y-%m-%d}至{session.ends_on:%Y-%m-%d}）之内",
    )
    require(Decimal(0) <= hours <= Decimal(12), "每日学时应在0至12之间")
    require(
        not Attendance.objects.filter(enrolment=locked, day=day).exists(),
        f"{day:%Y-%m-%d}的考勤已登记，不能重复登记",
    )
    row = Attendance.objects.create(enrolment=locked, day=day, hours=hours, present=present)
    total = Attendance.objects.filter(enrolment=locked, present=True).aggregate(s=Sum("hours"))
    locked.hours = total["s"] or Decimal(0)
    locked.save(update_fields=["hours", "updated_at"])
    record_event(actor=by, action="attendance", obj=row, detail={"hours": str(hours)})
    return row


@transaction.atomic
def complete_enrolment(*, by: User, enrolment: Enrolment, result: str) -> Enrolment:
    locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    require(locked.status == EnrolmentStatus.ENROLLED, "只有已报名状态的学员可以结业")
    require(result in TrainingResult.values and result, "请选择培训结果")
    locked.status, locked.result = EnrolmentStatus.COMPLETED, result
    locked.save(update_fields=["status", "result", "updated_at"])
    record_event(actor=by, action="complete", obj=locked, detail={"result": result})
    return locked


# --- follow-up (跟踪反馈) ---------------------------------------------------------------------


@transaction.atomic
def evaluate_session(
    *,
    by: User,
    enrolment: Enrolment,
    content: int,
    trainer: int,
    usefulness: int,
    comment: str = "",
) -> TrainingEvaluation:
    """The trainee's own evaluation: only the trainee, once, after the session began."""
    require(by.cadre_id == enrolment.cadre_id, "只有学员本人可以评估本次培训")
    require(enrolment.status != EnrolmentStatus.WITHDRAWN, "已退训的学员不能评估")
    require(
        not TrainingEvaluation.objects.filter(enrolment=enrolment).exists(),
        "已评估过本次培训，不能重复评估",
    )
    for value, label in ((content, "内容评分"), (trainer, "师资评分"), (usefulness, "实用性评分")):
        require(1 <= value <= 5, f"{label}应为1至5分")
    evaluation = TrainingEvaluation.objects.create(
        enrolment=enrolment,
        content_score=content,
        trainer_score=trainer,
        usefulness_score=usefulness,
        comment=comment,
    )
    record_event(actor=by, action="evaluate", obj=evaluation)
    return evaluation


def follow_up_due(session_end: date) -> date:
    return rules.add_months(session_end, setting_int(rules.FOLLOW_UP_MONTHS.key))


@transaction.atomic
def record_follow_up(
    *,
    by: User,
    enrolment: Enrolment,
    applied: bool,
    rating: int,
    how: str,
    on: date,
) -> TrainingFollowUp:
    locked = Enrolment.objects.select_for_update().select_related("session").get(pk=enrolment.pk)
    require(locked.status == EnrolmentStatus.COMPLETED, "学员结业后才能进行跟踪回访")
    due = follow_up_due(locked.session.ends_on)
    months = setting_int(rules.FOLLOW_UP_MONTHS.key)
    require(
        on >= due,
        f"跟踪回访应在结业{months}个月后进行（{due:%Y-%m-%d}起；"
        "设置 development.training.follow_up_months）",
    )
    require(
        not TrainingFollowUp.objects.filter(enrolment=locked).exists(), "本次培训已有跟踪回访记录"
    )
    require(1 <= rating <= 5, "运用效果评分应为1至5分")
    require(how.strip(), "请填写培训成果在工作中的具体表现")
    row = TrainingFollowUp.objects.create(
        enrolment=locked,
        due_on=due,
        supervisor=by,
        applied=applied,
        rating=rating,
        how=how,
    )
    record_event(actor=by, action="follow_up", obj=row, detail={"applied": applied})
    return row


# --- reads -----------------------------------------------------------------------------------


def training_hours(cadre_ids: Iterable[int], year: int) -> dict[int, Decimal]:
    """Hours earned in `year` per cadre (for the annual assessment's evidence)."""
    ids = list(cadre_ids)
    totals = {i: Decimal(0) for i in ids}
    for start in range(0, len(ids), 20000):
        rows = (
            Enrolment.objects.filter(cadre_id__in_ids=set(ids[start : start + 20000]), year=year)
            .exclude(status=EnrolmentStatus.WITHDRAWN)
            .values("cadre_id")
            .annotate(h=Sum("hours"))
        )
        for row in rows:
            totals[row["cadre_id"]] = row["h"] or Decimal(0)
    return totals


def hours_by_unit(cadres: Any, year: int, under: OrgUnit | None = None) -> list[dict[str, Any]]:
    """Per unit (or per unit directly below `under`, its subtree rolled up): cadres, total
    and mean hours, and how many meet the yearly requirement."""
    required = setting_decimal(rules.YEARLY_HOURS.key)
    hours = _hours(cadres, year)
    group, names = roll_up(list(cadres.values_list("id", "org_unit_id", "org_unit__path")), under)
    units: dict[int, dict[str, Any]] = {}
    for cid, uid in group.items():
        row = units.setdefault(
            uid,
            {
                "unit_id": uid,
                "unit": names.get(uid, ""),
                "cadres": 0,
                "hours": Decimal(0),
                "met": 0,
            },
        )
        h = hours.get(cid, Decimal(0))
        row["cadres"] += 1
        row["hours"] += h
        row["met"] += h >= required
    for row in units.values():
        row["mean"] = (row["hours"] / row["cadres"]).quantize(Decimal("0.1"))
        row["share"] = round(100 * row["met"] / row["cadres"])
    return sorted(units.values(), key=lambda r: r["unit"])


@dataclass(frozen=True)
class CadreNeeds:
    cadre_id: int
    name: str
    unit_id: int
    unit: str
    title: str
    needs: list[rules.Need]


def field_topics() -> dict[str, list[tuple[int, str]]]:
    mapping: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for tid, name, fields in TrainingTopic.objects.filter(is_active=True).values_list(
        "id", "name", "work_fields"
    ):
        for field in fields or ():
            mapping[field].append((tid, name))
    return mapping


def _completed(cadres: Any) -> dict[int, list[rules.CompletedTraining]]:
    topics: dict[int, set[int]] = defaultdict(set)
    for pid, tid in TrainingProgramme.topics.through.objects.values_list(
        "trainingprogramme_id", "trainingtopic_id"
    ):
        topics[pid].add(tid)
    done: dict[int, list[rules.CompletedTraining]] = defaultdict(list)
    rows = Enrolment.objects.filter(cadre__in=cadres, status=EnrolmentStatus.COMPLETED)
    for cid, kind, pid, ended in rows.values_list(
        "cadre_id", "session__programme__kind", "session__programme_id", "session__ends_on"
    ).iterator(chunk_size=5000):
        done[cid].append(rules.CompletedTraining(kind, frozenset(topics[pid]), ended))
    return done


def _leading_since(cadres: Any, on: date) -> dict[int, date | None]:
    """Start of a current leading post that was a step up; only posts taken within the
    window of 第六十七条 (plus one year overdue) can matter, so only those are read."""
    recent = cadres.filter(
        is_leader=True, current_post_since__gte=rules.add_years(on, -2) - timedelta(days=1)
    )
    posts: dict[int, list[tuple[date, str]]] = defaultdict(list)
    rows = (
        Appointment.objects.filter(cadre__in=recent, is_primary=True)
        .order_by("cadre_id", "started_on")
        .values_list("cadre_id", "started_on", "position__leadership_level")
    )
    for cid, started, level in rows:
        posts[cid].append((started, level or ""))
    return {cid: rules.promoted_to_leading_on(p) for cid, p in posts.items()}


def _hours(cadres: Any, year: int) -> dict[int, Decimal]:
    rows = (
        Enrolment.objects.filter(cadre__in=cadres, year=year)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .values("cadre_id")
        .annotate(h=Sum("hours"))
    )
    return {r["cadre_id"]: r["h"] or Decimal(0) for r in rows}


def needs_for(cadres: Any, on: date) -> list[CadreNeeds]:
    """Training needs of every cadre in a (scoped) queryset: a handful of set-based queries
    (the cadre set is a subquery, never a list of ids), then the pure rule per cadre."""
    rows = list(
        cadres.values_list(
            "id", "name", "org_unit_id", "org_unit__name", "current_title", "joined_work_on"
        )
    )
    fields = dict(
        Appointment.objects.filter(
            cadre__in=cadres,
            ended_on__isnull=True,
            is_primary=True,
        ).values_list("cadre_id", "position__work_field")
    )
    done, leading = _completed(cadres), _leading_since(cadres, on)
    hours = _hours(cadres, on.year)
    mapping = field_topics()
    required = setting_decimal(rules.YEARLY_HOURS.key)
    refresh = setting_int(rules.TOPIC_REFRESH_YEARS.key)
    result = []
    for cid, name, uid, uname, title, joined in rows:
        facts = rules.TrainingFacts(
            cid,
            fields.get(cid, ""),
            joined,
            leading.get(cid),
            tuple(done.get(cid, ())),
            hours.get(cid, Decimal(0)),
        )
        needs = rules.training_needs(
            facts, on=on, field_topics=mapping, yearly_hours=required, refresh_years=refresh
        )
        if needs:
            result.append(CadreNeeds(cid, name, uid, uname, title, needs))
    return result


def candidates_for_session(session: TrainingSession, cadres: Any, on: date) -> list[CadreNeeds]:
    """Who needs what this session offers, by unit, not yet enrolled (to fill a session)."""
    kind = session.programme.kind
    topic_ids = list(session.programme.topics.values_list("id", flat=True))
    enrolled = Enrolment.objects.filter(session=session).values("cadre_id")
    found = []
    for row in needs_for(cadres.exclude(pk__in=enrolled), on):
        matched = [
            n
            for n in row.needs
            if rules.need_met_by(n, kind, topic_ids)
            and (n.code != "hours" or kind != TrainingKind.INITIAL)
        ]
        if matched:
            found.append(
                CadreNeeds(row.cadre_id, row.name, row.unit_id, row.unit, row.title, matched)
            )
    return sorted(found, key=lambda r: (r.unit, r.cadre_id))


def follow_ups_due(enrolments: Any, on: date) -> Any:
    """Completed enrolments whose follow-up date has come and that have none yet."""
    months = setting_int(rules.FOLLOW_UP_MONTHS.key)
    latest_end = rules.add_months(on, -months)
    return enrolments.filter(
        status=EnrolmentStatus.COMPLETED, follow_up__isnull=True, session__ends_on__lte=latest_end
    )


def quality(programmes: Any, by: str = "programme") -> list[dict[str, Any]]:
    """Programme quality from trainee evaluations and supervisor follow-ups (跟踪反馈),
    grouped by programme or by trainer."""
    key = "session__programme__trainer" if by == "trainer" else "session__programme_id"
    scores: dict[Any, list[tuple[int, int, int]]] = defaultdict(list)
    follow: dict[Any, list[tuple[bool, int]]] = defaultdict(list)
    base = Enrolment.objects.filter(session__programme__in=programmes)
    for k, c, t, u in base.filter(evaluation__isnull=False).values_list(
        key,
        "evaluation__content_score",
        "evaluation__trainer_score",
        "evaluation__usefulness_score",
    ):
        scores[k].append((c, t, u))
    for k, applied, rating in base.filter(follow_up__isnull=False).values_list(
        key, "follow_up__applied", "follow_up__rating"
    ):
        follow[k].append((applied, rating))
    names = dict(programmes.values_list("id", "name")) if by != "trainer" else {}
    counts = dict(
        base.values(key)
        .annotate(n=Count("id", filter=~Q(status=EnrolmentStatus.WITHDRAWN)))
        .values_list(key, "n")
    )
    rows = []
    for k in sorted(set(scores) | set(follow) | set(counts), key=str):
        q = rules.programme_quality(scores.get(k, []), follow.get(k, []))
        rows.append({"key": k, "name": names.get(k, k), "trainees": counts.get(k, 0), "quality": q})
    return rows
