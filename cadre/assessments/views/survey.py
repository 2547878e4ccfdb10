"""Satisfaction evaluation pages (满意不满意单位评议): surveys, tiers and quotas, one-time links
(shown once), results per unit and tier, comments routed to units, the published report."""

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cadre.accounts.access import has_role, require_role, require_staff
from cadre.assessments import access, forms, rules
from cadre.assessments.models import (
    CommentStatus,
    Survey,
    SurveyComment,
    SurveyTier,
    SurveyToken,
    SurveyUnit,
)
from cadre.assessments.services import AssessmentError
from cadre.assessments.services import survey as services
from cadre.assessments.views.cycles import attempt, valid
from cadre.audit.services import record_view
from cadre.core.rulebook import rule_value
from cadre.orgs.models import OrgUnit

ADMIN = "org_admin"


def survey_list(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    rows = Survey.objects.visible_to(request.user).select_related("scope_unit")
    units = (
        OrgUnit.objects.visible_to(request.user, write=True).active().order_by("path")[:1000]
        if has_role(request.user, ADMIN)
        else []
    )
    today = timezone.localdate()
    form = forms.SurveyForm(
        units=units,
        initial={"year": today.year, "opens_on": today, "closes_on": today, "tier_quota": 50},
    )
    return render(request, "assessments/surveys.html", {"rows": rows, "form": form})


@require_POST
def survey_new(request: HttpRequest) -> HttpResponse:
    require_role(request.user, ADMIN)
    units = OrgUnit.objects.visible_to(request.user, write=True).active()
    form = forms.SurveyForm(request.POST, units=units.order_by("path")[:1000])

    def action() -> Survey:
        d = valid(form)
        scope = units.filter(pk=d["scope_unit"]).first()
        chosen = list(units.filter(pk__in=[int(x) for x in d["units"]]))
        if scope is None or len(chosen) != len(d["units"]):
            raise AssessmentError("所选单位不在您的管理范围内")
        return services.create_survey(
            by=request.user,
            year=d["year"],
            title=d["title"],
            scope_unit=scope,
            opens_on=d["opens_on"],
            closes_on=d["closes_on"],
            units=chosen,
            tier_quota=d["tier_quota"],
        )

    return attempt(
        request,
        action,
        "满意度评议已建立",
        lambda: survey_list(request),
        lambda s: redirect("assessments:survey", s.pk),
    )


def survey_detail(
    request: HttpRequest, survey_id: int, links: list[str] | None = None, tier_name: str = ""
) -> HttpResponse:
    s = access.get_survey(request.user, survey_id, request=request)
    require_role(request.user, ADMIN)
    tiers = list(SurveyTier.objects.visible_to(request.user).filter(survey=s))
    issued = dict(
        SurveyToken.objects.visible_to(request.user)
        .filter(survey=s)
        .values_list("tier_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for t in tiers:
        t.issued = issued.get(t.pk, 0)
        t.form = forms.TierForm(initial={"quota": t.quota, "weight": t.weight})
    base = request.build_absolute_uri(reverse("assessments_public:survey_start"))
    return render(
        request,
        "assessments/survey.html",
        {
            "s": s,
            "tiers": tiers,
            "units": SurveyUnit.objects.visible_to(request.user)
            .filter(survey=s)
            .select_related("org_unit")
            .order_by("org_unit__path"),
            "links_form": forms.LinksForm(tiers=tiers),
            "veto_items": rule_value(rules.SURVEY_VETO_ITEMS.key),
            "links": [(t, f"{base}t/{t}/") for t in (links or [])],
            "tier_name": tier_name,
            "text_form": forms.TextForm(),
        },
    )


@require_POST
def survey_status(request: HttpRequest, survey_id: int) -> HttpResponse:
    s = access.get_survey(request.user, survey_id, write=True, request=request)
    target = request.POST.get("target", "")
    return attempt(
        request,
        lambda: services.move_survey(survey=s, by=request.user, target=target),
        "评议状态已更新",
        lambda: survey_detail(request, survey_id),
        lambda _: redirect("assessments:survey", survey_id),
    )


@require_POST
def survey_tier(request: HttpRequest, survey_id: int, tier_id: int) -> HttpResponse:
    s = access.get_survey(request.user, survey_id, write=True, request=request)
    tier = access.get_object_for_user(
        SurveyTier.objects.filter(survey=s), request.user, tier_id, write=True, request=request
    )
    form = forms.TierForm(request.POST)

    def action() -> Any:
        d = valid(form)
        return services.set_tier(tier=tier, by=request.user, quota=d["quota"], weight=d["weight"])

    return attempt(
        request,
        action,
        "评议层面已更新",
        lambda: survey_detail(request, survey_id),
        lambda _: redirect("assessments:survey", survey_id),
    )


@require_POST
def survey_links(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Issues one-time links and shows them once on this response (never stored)."""
    s = access.get_survey(request.user, survey_id, write=True, request=request)
    tiers = SurveyTier.objects.visible_to(request.user).filter(survey=s)
    form = forms.LinksForm(request.POST, tiers=tiers)
    made: list[str] = []
    name: list[str] = []

    def action() -> Any:
        d = valid(form)
        tier = tiers.filter(pk=d["tier"]).first()
        if tier is None:
            raise AssessmentError("评议层面无效")
        name.append(tier.name)
        made.extend(services.issue_links(survey=s, tier=tier, by=request.user, count=d["count"]))
        return made

    return attempt(
        request,
        action,
        "评议链接已生成，请立即发送给评议人；页面关闭后无法再次查看",
        lambda: survey_detail(request, survey_id),
        lambda _: survey_detail(request, survey_id, made, name[0] if name else ""),
    )


@require_POST
def survey_veto(request: HttpRequest, survey_id: int, unit_id: int) -> HttpResponse:
    s = access.get_survey(request.user, survey_id, write=True, request=request)
    unit = access.get_object_for_user(
        SurveyUnit.objects.filter(survey=s), request.user, unit_id, write=True, request=request
    )
    form = forms.VetoForm(request.POST)

    def action() -> Any:
        d = valid(form)
        return services.set_veto(unit=unit, by=request.user, item=d["item"], note=d["note"])

    return attempt(
        request,
        action,
        "一票否决情况已登记",
        lambda: survey_detail(request, survey_id),
        lambda _: redirect("assessments:survey", survey_id),
    )


def survey_results(request: HttpRequest, survey_id: int) -> HttpResponse:
    s = access.get_survey(request.user, survey_id, request=request)
    require_staff(request.user)
    visible = set(
        SurveyUnit.objects.visible_to(request.user).filter(survey=s).values_list("id", flat=True)
    )
    rows = [r for r in services.results(s) if r.survey_unit_id in visible]
    record_view(user=request.user, obj=s, request=request)
    return render(
        request,
        "assessments/survey_results.html",
        {
            "s": s,
            "rows": rows,
            "dims": rules.SURVEY_DIMENSIONS,
            "pass_line": rule_value(rules.SURVEY_PASS_LINE.key),
            "k": rule_value(rules.K_ANONYMITY.key),
        },
    )


def comments(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Comments routed to the units the user may see; unit heads answer theirs."""
    s = access.get_survey(request.user, survey_id, request=request)
    require_staff(request.user)
    qs = (
        SurveyComment.objects.visible_to(request.user)
        .filter(survey=s)
        .select_related("survey_unit__org_unit")
        .order_by("survey_unit__org_unit__path", "id")
    )
    status = request.GET.get("status", "")
    if status in CommentStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    writable = set(
        SurveyComment.objects.visible_to(request.user, write=True)
        .filter(pk__in=[c.pk for c in page])
        .values_list("pk", flat=True)
    )
    for c in page:
        c.can_write = c.pk in writable
    return render(
        request,
        "assessments/survey_comments.html",
        {
            "s": s,
            "page": page,
            "status": status,
            "statuses": CommentStatus.choices,
            "is_admin": has_role(request.user, ADMIN),
        },
    )


@require_POST
def comment_action(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = access.get_survey_comment(request.user, comment_id, write=True, request=request)
    step = request.POST.get("step", "")
    form = forms.TextForm(request.POST)
    sid = comment.survey_id

    def action() -> Any:
        if step == "close":
            require_role(request.user, ADMIN)
            version = request.POST.get("version", "")
            return services.close_comment(
                comment=comment, by=request.user, version=int(version) if version.isdigit() else -1
            )
        d = valid(form)
        fn = {"respond": services.respond_comment, "rectify": services.rectify_comment}.get(step)
        if fn is None:
            raise AssessmentError("无效的操作")
        return fn(comment=comment, by=request.user, text=d["text"], version=d["version"] or 0)

    return attempt(
        request,
        action,
        "意见处理情况已更新",
        lambda: comments(request, sid),
        lambda _: redirect("assessments:survey_comments", sid),
    )


@require_POST
def survey_publish(request: HttpRequest, survey_id: int) -> HttpResponse:
    s = access.get_survey(request.user, survey_id, write=True, request=request)
    form = forms.TextForm(request.POST)

    def action() -> Any:
        d = valid(form)
        return services.publish_report(survey=s, by=request.user, text=d["text"])

    return attempt(
        request,
        action,
        "社会评价意见报告已发布",
        lambda: survey_detail(request, survey_id),
        lambda _: redirect("assessments:survey_results", survey_id),
    )
