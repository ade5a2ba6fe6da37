"""Cohen's kappa (helpers.agreement), checked against worked examples."""

from __future__ import annotations

import math

import pytest

from helpers.agreement import cohen_kappa, field_agreement, wilson_interval


def test_perfect_agreement_is_one_and_chance_agreement_is_zero() -> None:
    assert cohen_kappa(["a", "b", "a", "c"], ["a", "b", "a", "c"]) == 1
    # each coder says "yes" half the time, independently: observed 0.5 = expected 0.5
    assert cohen_kappa(["y", "y", "n", "n"], ["y", "n", "y", "n"]) == 0


def test_a_textbook_example() -> None:
    # 50 cases: both yes 20, A yes/B no 5, A no/B yes 10, both no 15 (a standard worked example)
    a = ["y"] * 20 + ["y"] * 5 + ["n"] * 10 + ["n"] * 15
    b = ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15
    # p_o = 0.7; p_e = 0.5*0.6 + 0.5*0.4 = 0.5; kappa = 0.4
    assert math.isclose(cohen_kappa(a, b), 0.4)


def test_undefined_when_both_coders_use_one_category() -> None:
    assert cohen_kappa(["x", "x"], ["x", "x"]) is None


def test_faulty_input_is_refused() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        cohen_kappa(["a"], ["a", "b"])
    with pytest.raises(ValueError, match="no cases"):
        cohen_kappa([], [])


def test_field_agreement_names_the_cases_that_differ() -> None:
    first = {"c1": {"resp": "none", "why": "internal"}, "c2": {"resp": "statement", "why": None},
             "c3": {"resp": "mission", "why": "other"}}
    second = {"c1": {"resp": "none", "why": "internal"}, "c2": {"resp": "mission", "why": "other"},
              "c3": {"resp": "mission", "why": "other"}, "c4": {"resp": "none", "why": "none"}}
    resp, why = field_agreement(first, second, ["resp", "why"])
    assert (resp.n, resp.disagreements) == (3, ("c2",))
    assert math.isclose(resp.observed, 2 / 3)
    assert (why.n, why.disagreements, why.kappa) == (2, (), 1.0)


def test_the_book_s_agreement_table_compares_the_two_codings(tiny) -> None:
    from helpers import coding_agreement

    table = coding_agreement().set_index("field")
    # response: mission/mission and none/statement; reason: only one case coded twice
    assert table.loc["CSTO response", "cases"] == 2 and table.loc["CSTO response", "alike"] == 0.5
    assert table.loc["CSTO response", "cases that differ"] == "Cedria clash"
    assert table.loc["reason given", "cases"] == 1
    assert table.loc["Treaty article invoked", "alike"] == 1.0  # the empty article is a code ("none") in both


def test_the_wilson_interval_matches_worked_values() -> None:
    # one in five: 3.6 to 62.4 per cent (the usual 95 per cent score interval)
    low, high = wilson_interval(1, 5)
    assert (round(low, 3), round(high, 3)) == (0.036, 0.624)
    assert wilson_interval(0, 4)[0] == 0.0 and math.isclose(wilson_interval(4, 4)[1], 1.0)
    with pytest.raises(ValueError, match="0 <= k <= n"):
        wilson_interval(3, 2)
    with pytest.raises(LookupError, match="no cases"):
        wilson_interval(0, 0)  # an absence the facts print as n/a, not a programming error


def test_the_decisions_table_gives_both_codes_and_the_one_kept(tiny) -> None:
    from helpers import coding_decisions

    rows = coding_decisions().to_dict("records")
    assert rows == [
        {"crisis": "Cedria clash", "field": "CSTO response", "first": "none", "second": "statement",
         "kept": "none", "reason": "No statement was found."},
        {"crisis": "Cedria clash", "field": "reason given", "first": "none given", "second": "(not settled)",
         "kept": "none given", "reason": "No reason was found."},
    ]
