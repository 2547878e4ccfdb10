"""The written notification as a one-page A4 PDF in the layout of the 公务员年度考核登记表.

`notice_pdf(context)` takes the same context the HTML notice page renders (`p`, `cadre`,
`decision`, `review`, `grade`, `deadline`) and returns the PDF bytes. No queries: the view
gathers the objects. Chinese text uses reportlab's built-in CID font STSong-Light (no font
file; the reader supplies the glyphs). Each box of the form has a fixed height, as on paper;
text longer than its box is shrunk to fit, so the form always stays on one page.
"""

from datetime import date, datetime
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (
    Flowable,
    KeepInFrame,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

FONT = "STSong-Light"
TITLE = "公务员年度考核登记表"
MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN
# label, value, label, value, label, value (the HTML notice's six columns)
COLUMNS = [30 * mm, 28 * mm, 20 * mm, 28 * mm, 24 * mm, WIDTH - 130 * mm]
HEADER_ROW = 9 * mm
PAD = 4  # points, cell padding
SUMMARY_MAX = 1000  # characters of the personal summary printed; the rest stays in the system

if FONT not in pdfmetrics.getRegisteredFontNames():
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))

_BODY = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=15, wordWrap="CJK")
_LABEL = ParagraphStyle("label", parent=_BODY, alignment=TA_CENTER)
_SIGN = ParagraphStyle("sign", parent=_BODY, alignment=TA_RIGHT)
_TITLE = ParagraphStyle("title", parent=_BODY, fontSize=18, leading=24, alignment=TA_CENTER)
_SUB = ParagraphStyle("sub", parent=_BODY, alignment=TA_CENTER)
_NOTE = ParagraphStyle("note", parent=_BODY, fontSize=9, leading=13)


def _get(obj: Any, name: str, default: Any = None) -> Any:
    return getattr(obj, name, default) if obj is not None else default


def _display(obj: Any, field: str) -> str:
    """A choice field's Chinese label (`get_<field>_display`), or its plain value."""
    shown = _get(obj, f"get_{field}_display")
    return str(shown() if callable(shown) else _get(obj, field, "") or "")


def _day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.year}年{value.month}月{value.day}日"


def _month(value: date | None) -> str:
    return f"{value.year}.{value.month:02d}" if value else ""


def _text(value: Any) -> str:
    """User text made safe for a Paragraph (escaped markup, kept line breaks)."""
    return escape(str(value or "")).replace("\r\n", "\n").replace("\n", "<br/>")


def _para(markup: str, style: ParagraphStyle = _BODY) -> Paragraph:
    return Paragraph(markup, style)


class Box(Flowable):
    """One fixed-height box of the form: body at the top (shrunk if too long), an optional
    signature line at the bottom right."""

    def __init__(self, body: list[Flowable], height: float, sign: str = "") -> None:
        super().__init__()
        self.body, self.box_height, self.sign = body, height, sign

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.box_height

    def draw(self) -> None:
        sign_height = 0.0
        if self.sign:
            line = _para(self.sign, _SIGN)
            _, sign_height = line.wrap(self.width, self.box_height)
            line.drawOn(self.canv, 0, 0)
        room = self.box_height - sign_height - (4 if self.sign else 0)
        # CJK wrapping may hang a closing punctuation mark past the line: keep a margin
        width = self.width - 6
        frame = KeepInFrame(width, room, self.body, mode="shrink")
        _, used = frame.wrapOn(self.canv, width, room)
        frame.drawOn(self.canv, 0, self.box_height - used)


def _boxed(label: str, body: list[Flowable], height: float, sign: str = "") -> list[Any]:
    return [_para(label, _LABEL), Box(body, height - 2 * PAD, sign), "", "", "", ""]


def _rows(context: dict[str, Any]) -> tuple[list[list[Any]], list[float]]:
    p, cadre = context.get("p"), context.get("cadre")
    decision, review = context.get("decision"), context.get("review")

    def cell(value: Any) -> Paragraph:
        return _para(_text(value))

    head = [
        [
            _para("姓　　名", _LABEL),
            cell(_get(cadre, "name")),
            _para("性　　别", _LABEL),
            cell(_display(cadre, "gender")),
            _para("出生年月", _LABEL),
            cell(_month(_get(cadre, "birth_date"))),
        ],
        [
            _para("政治面貌", _LABEL),
            cell(_display(cadre, "political_status")),
            _para("学　　历", _LABEL),
            cell(_display(cadre, "education")),
            _para("任现职时间", _LABEL),
            cell(_month(_get(cadre, "current_post_since"))),
        ],
        [
            _para("单位及职务", _LABEL),
            cell(f"{_get(_get(p, 'org_unit'), 'name', '')} {_get(p, 'title', '')}".strip()),
            "",
            "",
            "",
            "",
        ],
    ]

    summary = str(_get(p, "summary", "") or "")
    if len(summary) > SUMMARY_MAX:
        summary = f"{summary[:SUMMARY_MAX]}……（全文共{len(summary)}字，见系统）"
    proposal = [
        _para(_text(_get(p, "evaluation_text", ""))),
        _para("建议等次：" + (_display(p, "proposed_grade") or "不定等次")),
    ]
    if justice_note := _get(p, "justice_note"):
        proposal.append(_para("主持公道说明：" + _text(justice_note)))
    proposed_by = _get(p, "proposed_by")

    verdict = [_para(f"确定等次：<b>{_text(context.get('grade', ''))}</b>")]
    if note := _get(decision, "note"):
        verdict.append(_para(_text(note)))
    if review is not None and _get(review, "status") != "pending":
        verdict.append(
            _para(
                f"复核决定（{_day(_get(review, 'decided_on'))}）："
                f"{_text(_display(review, 'status'))}。"
                f"{_text(_get(review, 'decision_text', ''))}"
            )
        )

    acknowledged = _get(decision, "acknowledged_at")
    own = [_para(_text(_get(decision, "acknowledgement_text", "")))]
    if acknowledged:
        own.append(
            _para(
                "已签收"
                + ("，本人对考核结果无异议，不申请复核" if _get(decision, "review_waived") else "")
            )
        )
        own_sign = f"签名：{_text(_get(cadre, 'name'))}　{_day(acknowledged)}"
    else:
        own_sign = "签名：＿＿＿＿＿＿＿＿　　　　年　　月　　日"

    body = [
        _boxed("个人总结", [_para(_text(summary))] if summary else [], 76 * mm),
        _boxed(
            "主管领导评语<br/>和考核等次建议",
            proposal,
            42 * mm,
            f"签名：{_text(proposed_by or '')}　{_day(_get(p, 'proposed_at'))}",
        ),
        _boxed(
            "机关负责人或<br/>考核委员会意见",
            verdict,
            36 * mm,
            f"（盖章）　{_day(_get(decision, 'decided_on'))}",
        ),
        _boxed("本人意见", own, 30 * mm, own_sign),
        _boxed(
            "未确定等次或<br/>不参加考核<br/>情况说明",
            [_para(_text(_get(decision, "ungraded_reason", "")))],
            20 * mm,
        ),
    ]
    heights = [HEADER_ROW] * len(head) + [76 * mm, 42 * mm, 36 * mm, 30 * mm, 20 * mm]
    return head + body, heights


def notice_pdf(context: dict[str, Any]) -> bytes:
    """One A4 page: the 公务员年度考核登记表 of one participant, with the acknowledgement."""
    p, decision = context.get("p"), context.get("decision")
    year = _get(_get(p, "cycle"), "year", "")
    rows, heights = _rows(context)
    table = Table(rows, colWidths=COLUMNS, rowHeights=heights)
    spans = [("SPAN", (1, r), (5, r)) for r in range(2, len(rows))]
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("GRID", (0, 0), (-1, -1), 0.8, colors.black),
                ("BOX", (0, 0), (-1, -1), 1.4, colors.black),
                ("VALIGN", (0, 0), (-1, 2), "MIDDLE"),
                ("VALIGN", (0, 3), (-1, -1), "TOP"),
                ("VALIGN", (0, 3), (0, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), PAD),
                ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
                ("TOPPADDING", (0, 0), (-1, -1), PAD),
                ("BOTTOMPADDING", (0, 0), (-1, -1), PAD),
                *spans,
            ]
        )
    )

    notified = _get(decision, "notified_on")
    note = f"书面通知日期：{_day(notified) or '（尚未通知）'}。"
    if context.get("deadline"):
        note += (
            f"如对考核结果不服，可自知道之日起三十日内（至{_day(context['deadline'])}）"
            "向原处理机关申请复核（公务员法 第九十五条）。"
        )
    consequences = _get(decision, "consequences") or []
    if consequences:
        note += "依规则的后果：" + "；".join(
            f"{_text(c.get('text', ''))}（{_text(c.get('source', ''))}）" for c in consequences
        )

    kind = _display(_get(p, "cycle"), "kind")
    story: list[Flowable] = [
        _para(f"{TITLE}（{year}年度）", _TITLE),
        _para(_text(kind), _SUB) if kind else Spacer(1, 0),
        Spacer(1, 4 * mm),
        table,
        Spacer(1, 3 * mm),
        KeepInFrame(WIDTH, 24 * mm, [_para(note, _NOTE)], mode="shrink"),
    ]
    out = BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"{TITLE}（{year}年度）",
        author="",
        subject="",
        creator="cadre",
        invariant=1,
        pageCompression=0,
    )
    doc.build(story)
    return out.getvalue()
