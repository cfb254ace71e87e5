"""Grading per question type — correct, wrong, partial, empty, hostile — and learning gain."""

from decimal import Decimal

import pytest

from courses.grading import (
    TRUE_FALSE_OPTIONS,
    Grade,
    InvalidResponse,
    Kind,
    QuestionKey,
    grade,
    learning_gain,
    percentage,
)

SINGLE = QuestionKey("q1", Kind.SINGLE_CHOICE, options=("a", "b", "c"), correct=("b",))
MULTIPLE = QuestionKey(
    "q2", Kind.MULTIPLE_RESPONSE, options=("a", "b", "c", "d"), correct=("a", "c")
)
TRUE_FALSE = QuestionKey("q3", Kind.TRUE_FALSE, options=TRUE_FALSE_OPTIONS, correct=("false",))
MATCHING = QuestionKey(
    "q4",
    Kind.MATCHING,
    pairs={"traffic": "route", "content": "message", "subscriber": "billing", "x": "y"},
    points=Decimal(2),
)
ORDERING = QuestionKey(
    "q5", Kind.ORDERING, correct=("secure", "record", "volatile", "hash"), points=Decimal(4)
)


class TestSingleChoiceAndTrueFalse:
    def test_correct_option_scores_full_points(self):
        assert grade(SINGLE, "b") == Grade(Decimal(1), Decimal(1))
        assert grade(TRUE_FALSE, "false").is_correct

    def test_wrong_option_scores_nothing(self):
        assert grade(SINGLE, "a").points == 0
        assert grade(TRUE_FALSE, "true").points == 0

    @pytest.mark.parametrize("empty", [None, "", []])
    def test_no_answer_scores_nothing(self, empty):
        result = grade(SINGLE, empty)
        assert result.points == 0 and not result.is_partial

    def test_an_option_from_elsewhere_is_refused(self):
        with pytest.raises(InvalidResponse):
            grade(SINGLE, "z")
        with pytest.raises(InvalidResponse):
            grade(TRUE_FALSE, "maybe")

    def test_two_options_for_a_single_choice_are_refused(self):
        with pytest.raises(InvalidResponse):
            grade(SINGLE, ["a", "b"])


class TestMultipleResponse:
    def test_all_correct_and_no_wrong_option_scores_full_points(self):
        assert grade(MULTIPLE, ["c", "a"]).is_correct

    def test_some_of_the_correct_options_score_nothing(self):
        assert grade(MULTIPLE, ["a"]).points == 0

    def test_a_wrong_option_added_to_the_right_ones_scores_nothing(self):
        assert grade(MULTIPLE, ["a", "c", "d"]).points == 0

    def test_ticking_everything_scores_nothing(self):
        assert grade(MULTIPLE, ["a", "b", "c", "d"]).points == 0

    def test_empty_scores_nothing(self):
        assert grade(MULTIPLE, []).points == 0

    def test_unknown_option_is_refused(self):
        with pytest.raises(InvalidResponse):
            grade(MULTIPLE, ["a", "c", "e"])


class TestMatching:
    def test_every_pair_right_scores_full_points(self):
        response = {"traffic": "route", "content": "message", "subscriber": "billing", "x": "y"}
        assert grade(MATCHING, response) == Grade(Decimal(2), Decimal(2))

    def test_points_follow_the_share_of_right_pairs(self):
        response = {"traffic": "route", "content": "billing", "subscriber": "message", "x": "y"}
        result = grade(MATCHING, response)
        assert result.points == Decimal("1.00") and result.is_partial

    def test_unanswered_items_count_as_wrong(self):
        assert grade(MATCHING, {"traffic": "route", "content": ""}).points == Decimal("0.50")

    def test_empty_scores_nothing(self):
        assert grade(MATCHING, {}).points == 0

    def test_unknown_item_or_match_is_refused(self):
        with pytest.raises(InvalidResponse):
            grade(MATCHING, {"metadata": "route"})
        with pytest.raises(InvalidResponse):
            grade(MATCHING, {"traffic": "password"})


class TestOrdering:
    def test_the_right_order_scores_full_points(self):
        assert grade(ORDERING, ["secure", "record", "volatile", "hash"]).is_correct

    def test_points_follow_the_items_in_place(self):
        result = grade(ORDERING, ["secure", "record", "hash", "volatile"])
        assert result.points == Decimal("2.00") and result.is_partial

    def test_fully_reversed_scores_nothing(self):
        assert grade(ORDERING, ["hash", "volatile", "record", "secure"]).points == 0

    def test_empty_scores_nothing(self):
        assert grade(ORDERING, []).points == 0

    @pytest.mark.parametrize(
        "bad",
        [
            ["secure", "record", "volatile"],  # an item left out
            ["secure", "secure", "volatile", "hash"],  # an item twice
            ["secure", "record", "volatile", "delete"],  # an item from elsewhere
        ],
    )
    def test_an_order_that_is_not_a_permutation_is_refused(self, bad):
        with pytest.raises(InvalidResponse):
            grade(ORDERING, bad)


class TestPercentage:
    def test_weighted_by_points(self):
        grades = [grade(SINGLE, "b"), grade(ORDERING, ["secure", "record", "hash", "volatile"])]
        # 1 of 1 plus 2 of 4 = 3 of 5
        assert percentage(grades) == Decimal("60.00")

    def test_rounds_to_two_decimals(self):
        grades = [
            Grade(Decimal(1), Decimal(1)),
            Grade(Decimal(0), Decimal(1)),
            Grade(Decimal(0), Decimal(1)),
        ]
        assert percentage(grades) == Decimal("33.33")

    def test_no_questions_is_zero_not_an_error(self):
        assert percentage([]) == 0


class TestLearningGain:
    def test_gain_and_normalised_gain(self):
        result = learning_gain(40, 70)
        assert result.gain == 30
        assert result.normalised == Decimal("0.5000")

    def test_a_lower_post_test_gives_a_negative_gain(self):
        result = learning_gain(80, 60)
        assert result.gain == -20 and result.normalised == Decimal("-1.0000")

    def test_normalised_gain_is_undefined_after_a_perfect_pre_test(self):
        result = learning_gain(100, 100)
        assert result.gain == 0 and result.normalised is None

    def test_scores_outside_0_to_100_are_refused(self):
        with pytest.raises(ValueError):
            learning_gain(-1, 50)
        with pytest.raises(ValueError):
            learning_gain(50, 101)
