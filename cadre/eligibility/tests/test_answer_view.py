"""The include `eligibility/_answer.html` reads an Answer or its JSON alike (the proposal page
gets the JSON through `assessments.eligibility`, the cadre page the Answer)."""

from datetime import date

from django.template.loader import render_to_string

from cadre.cadres.decisions import Answer, Block, Decision, Proposal
from cadre.eligibility.templatetags.eligibility_answer import from_json, view

ANSWER = Answer(
    7,
    date(2026, 6, 1),
    {
        Decision.PROMOTION.value: (
            Block(
                "2025年度考核基本称职，本年度不得列为考察对象",
                "条例 第二十四条(三)",
                date(2026, 12, 31),
                fact="grade",
            ),
            Block(
                "正在接受立案审查调查（2026-05-01立案）",
                "考核规定 第二十四条",
                ends="审查调查结束后",
                fact="case",
            ),
        ),
        Decision.EXCELLENT.value: (
            Block("已辞退，不在职", "公务员法 第八十八条", fact="employment"),
        ),
    },
    (Proposal("降职", "2025年度考核不称职", "公务员法 第五十条第二款"),),
)


def test_the_json_gives_back_the_same_answer() -> None:
    assert from_json(ANSWER.as_json()) == Answer(
        ANSWER.cadre_id,
        ANSWER.on,
        {d.value: ANSWER.blocks.get(d.value, ()) for d in Decision},
        ANSWER.proposals,
    )
    assert view(ANSWER.as_json()) == view(ANSWER)


def test_the_decisions_asked_for_and_the_proposals_with_all_of_them() -> None:
    every = view(ANSWER)
    assert every is not None
    assert [r.decision for r in every.rows] == list(Decision.values)
    assert [r.eligible for r in every.rows][:2] == [False, True]
    assert every.proposals == ANSWER.proposals
    one = view(ANSWER, "excellent_grade")
    assert one is not None
    assert [(r.label, r.eligible) for r in one.rows] == [("年度考核评为优秀", False)]
    assert one.proposals == ()  # 降职/辞退 belong to the whole answer
    assert view(None) is None


def test_the_table_says_can_or_cannot_with_each_block_and_its_end() -> None:
    html = render_to_string("eligibility/_answer.html", {"answer": ANSWER})
    assert "按 2026-06-01 的情况实时判断" in html
    assert html.count("不可以") == 2  # 提拔 and 优秀
    assert html.count(">可以<") == len(Decision) - 2
    assert "2026-12-31" in html  # until
    assert "审查调查结束后" in html  # what ends an open block
    assert "建议降职：2025年度考核不称职（公务员法 第五十条第二款）" in html
    only = render_to_string(
        "eligibility/_answer.html", {"answer": ANSWER.as_json(), "decisions": "excellent_grade"}
    )
    assert "已辞退，不在职" in only
    assert "提拔" not in only
    assert "建议降职" not in only
