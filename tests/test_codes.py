"""Verification codes: random, checkable, forgiving of how people type them."""

import pytest

from courses import codes


def test_a_new_code_has_60_random_bits_and_a_valid_check_character():
    code = codes.new_code()
    assert len(code) == 13 and set(code) <= set(codes.ALPHABET)
    assert codes.normalise(code) == code
    assert len({codes.new_code() for _ in range(2000)}) == 2000


def test_codes_use_the_whole_alphabet_in_every_data_position():
    seen = [set() for _ in range(codes.DATA_LENGTH)]
    for _ in range(3000):
        for position, symbol in enumerate(codes.new_code()[:-1]):
            seen[position].add(symbol)
    assert all(len(symbols) == 32 for symbols in seen)


def test_grouped_for_print():
    assert codes.grouped("7KQ2M9XD4HFTX") == "7KQ2-M9XD-4HFT-X"


@pytest.mark.parametrize(
    "typed",
    [
        "{grouped}",
        "{lower}",
        " {spaced} ",
        "{no_dashes}",
        "{grouped_lower_with_a_missing_dash}",
    ],
)
def test_typing_variations_normalise_to_the_code(typed):
    code = codes.new_code()
    group = codes.grouped(code)
    variants = {
        "grouped": group,
        "lower": group.lower(),
        "spaced": " ".join(code),
        "no_dashes": code,
        "grouped_lower_with_a_missing_dash": group.lower().replace("-", "", 1),
    }
    assert codes.normalise(typed.format(**variants)) == code


def test_lookalike_letters_are_read_as_digits():
    data = "0100" + "11" + "ABCDEF"
    code = data + codes.check_character(data)
    typed = "OlOO-iL" + code[6:]
    assert codes.normalise(typed) == code


def test_every_single_mistyped_character_is_caught():
    code = codes.new_code()
    for position in range(len(code)):
        for symbol in codes.ALPHABET:
            if symbol != code[position]:
                wrong = code[:position] + symbol + code[position + 1 :]
                assert codes.normalise(wrong) is None, (code, wrong)


def test_every_swap_of_neighbours_is_caught():
    for _ in range(200):
        code = codes.new_code()
        for position in range(len(code) - 1):
            swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
            if swapped != code:
                assert codes.normalise(swapped) is None, (code, swapped)


@pytest.mark.parametrize(
    "typed", ["", "   ", "7KQ2-M9XD-4HFT", "7KQ2-M9XD-4HFT-XX", "7KQ2-M9XD-4HFT-U", None, "ÉÉÉÉ"]
)
def test_what_cannot_be_a_code(typed):
    assert codes.normalise(typed) is None
