"""How a page offers a record's steps (core.actions.arrange), with plain values."""

from yichuang.core.actions import DANGER, PRIMARY, SECONDARY, arrange

LABELS = {"accept": "受理", "supplement": "补件", "reject": "不予受理", "return": "退件"}
DANGEROUS = {"reject": "确定不予受理？", "return": "确定退件？"}


def order(offers):
    return [(o.action, o.style) for o in offers]


def test_the_preferred_step_first_the_others_in_the_flows_order_the_dangerous_last():
    offers = arrange(
        ["reject", "supplement", "return", "accept"],
        labels=LABELS,
        prefer=("accept",),
        dangerous=DANGEROUS,
    )
    assert order(offers) == [
        ("accept", PRIMARY),
        ("supplement", SECONDARY),
        ("reject", DANGER),
        ("return", DANGER),
    ]
    assert [str(o.confirm) for o in offers] == ["", "", "确定不予受理？", "确定退件？"]
    assert offers[0].label == "受理" and offers[0].is_primary and offers[-1].is_danger


def test_the_first_preferred_step_that_is_offered_wins():
    offers = arrange(["accept", "supplement"], labels=LABELS, prefer=("complete", "supplement"))
    assert order(offers) == [("supplement", PRIMARY), ("accept", SECONDARY)]


def test_no_primary_when_none_preferred_is_offered_and_never_a_dangerous_one():
    assert order(arrange(["accept"], labels=LABELS, prefer=("check",))) == [("accept", SECONDARY)]
    offers = arrange(["return", "accept"], labels=LABELS, prefer=("return",), dangerous=DANGEROUS)
    assert order(offers) == [("accept", SECONDARY), ("return", DANGER)]
    assert arrange([], labels=LABELS, prefer=("accept",)) == []
