"""registry.codes: GB 32100 unified social credit codes and GB 11643 ID numbers, each rule named (DOMAIN §2)."""

from __future__ import annotations

import pytest

from registry import codes
from tests.registry.factories import make_resident_id, make_uscc


def _error_codes(check) -> list[str]:
    return [error.code for error in check.errors]


def test_the_standards_worked_example_is_valid():
    check = codes.validate_uscc("91350100M000100Y43")
    assert check.valid and check.authority == "市场监管" and check.entity_type == "企业"


@pytest.mark.parametrize(
    ("authority", "entity_type", "name"),
    [
        (authority, entity_type, name)
        for authority, (name, types) in codes.AUTHORITIES.items()
        for entity_type in types
    ],
)
def test_a_code_of_every_authority_and_type_is_valid(authority, entity_type, name):
    code = make_uscc(authority, entity_type, seed=ord(authority) * 10 + ord(entity_type))
    check = codes.validate_uscc(code)
    assert check.valid, check.errors
    assert check.authority == name


@pytest.mark.parametrize("first", ["N", "Y", "A"])
def test_letters_in_position_one_are_legal(first):
    code = make_uscc(first, "1", region="120111", seed=5)
    assert codes.validate_uscc(code).valid


def test_a_letter_authority_code_the_stdnum_module_refuses_is_accepted_here():
    from stdnum.cn import uscc as stdnum_uscc

    code = make_uscc("N", "2", seed=1)
    assert not stdnum_uscc.is_valid(code)  # the reason this module exists
    assert codes.validate_uscc(code).valid


def test_input_is_normalised_full_width_lower_case_spaces_and_hyphens():
    assert codes.validate_uscc("９１３５ ０１００-m０００１００y４３").code == "91350100M000100Y43"
    assert codes.validate_uscc("９１３５ ０１００-m０００１００y４３").valid


@pytest.mark.parametrize("value", ["", "91350100M000100Y4", "91350100M000100Y433"])
def test_a_wrong_length_is_named_with_the_actual_length(value):
    check = codes.validate_uscc(value)
    assert _error_codes(check) == ["length"]
    assert f"当前为{len(value)}位" in check.errors[0].message


@pytest.mark.parametrize("bad", ["I", "O", "Z", "S", "V", "*"])
def test_a_forbidden_character_is_named_with_its_position(bad):
    code = "91350100M000100Y43"
    value = code[:9] + bad + code[10:]
    check = codes.validate_uscc(value)
    assert _error_codes(check) == ["invalid_character"]
    assert check.errors[0].position == 10
    assert f"第10位字符“{bad}”" in check.errors[0].message


def test_an_unknown_authority_is_named():
    code = make_uscc("B", "1", seed=1)
    check = codes.validate_uscc(code)
    assert _error_codes(check) == ["unknown_authority"]
    assert check.errors[0].position == 1


@pytest.mark.parametrize(("authority", "entity_type"), [("9", "4"), ("9", "9"), ("Y", "2"), ("N", "4"), ("1", "5")])
def test_an_entity_type_unknown_for_its_authority_is_named(authority, entity_type):
    check = codes.validate_uscc(make_uscc(authority, entity_type, seed=2))
    assert _error_codes(check) == ["unknown_entity_type"]
    assert check.errors[0].position == 2


def test_letters_in_the_region_part_are_refused():
    first_17 = "9112011A" + "MA0000001"
    check = codes.validate_uscc(first_17 + codes.check_digit(first_17))
    assert _error_codes(check) == ["invalid_region"]


def test_a_wrong_check_character_gives_the_expected_one():
    check = codes.validate_uscc("91350100M000100Y44")
    assert _error_codes(check) == ["check_digit"]
    assert check.expected_check_digit == "3"
    assert check.errors[0].position == 18
    assert "应为“3”，实际为“4”" in check.errors[0].message


def test_the_check_character_is_computed_with_the_standards_weights():
    total = sum(
        codes.ALPHABET.index(c) * w
        for c, w in zip(
            "91350100M000100Y4", (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28), strict=True
        )
    )
    assert codes.check_digit("91350100M000100Y4") == codes.ALPHABET[(31 - total % 31) % 31] == "3"


def test_the_fast_check_character_agrees_with_stdnum_on_every_alphabet_character():
    import random

    from stdnum.cn import uscc

    draw = random.Random(2015)
    for _ in range(2000):
        first_17 = "".join(draw.choice(codes.ALPHABET) for _ in range(17))
        assert codes.check_digit.__wrapped__(first_17) == uscc.calc_check_digit(first_17), first_17


def test_the_placeholder_is_refused_unless_allowed():
    refused = codes.validate_uscc(codes.PLACEHOLDER)
    assert _error_codes(refused) == ["placeholder_not_allowed"] and refused.is_placeholder
    allowed = codes.validate_uscc(codes.PLACEHOLDER, allow_placeholder=True)
    assert allowed.valid and allowed.is_placeholder


def test_the_placeholder_fails_the_checksum_by_design():
    assert codes.check_digit(codes.PLACEHOLDER[:17]) != "X"


def test_looks_like_uscc_tells_codes_from_names():
    assert codes.looks_like_uscc("91350100m000100y43")
    assert not codes.looks_like_uscc("天津华为")


def test_a_valid_resident_id_number_passes():
    assert codes.validate_id_number(make_resident_id(seed=1)).valid
    assert codes.validate_id_number("11010519491231002X").valid


def test_an_id_number_with_a_wrong_check_digit_gives_the_expected_one():
    check = codes.validate_id_number("110105194912310021")
    assert [e.code for e in check.errors] == ["check_digit"]
    assert "应为“X”" in check.errors[0].message


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "required"),
        ("11010519491231002", "length"),
        ("1101051949123100AX", "format"),
        ("110105194913310029", "birth_date"),
        ("990105194912310021", "area_code"),
    ],
)
def test_each_id_number_rule_is_named(value, code):
    assert [e.code for e in codes.validate_id_number(value).errors] == [code]


def test_a_birth_date_in_the_future_is_refused():
    first_17 = "120111" + "21000101" + "001"
    from stdnum.cn import ric

    number = first_17 + ric.calc_check_digit(first_17 + "0")
    assert [e.code for e in codes.validate_id_number(number).errors] == ["birth_date"]


def test_other_documents_are_checked_by_shape_only():
    assert codes.validate_id_number("E12345678", id_type="02").valid
    assert [e.code for e in codes.validate_id_number("E1-2", id_type="02").errors] == ["format"]


def test_the_fast_check_of_the_report_agrees_with_the_full_check():
    import random

    rng = random.Random(5)
    samples = [make_uscc(a, t, seed=i) for i, (a, (_n, types)) in enumerate(codes.AUTHORITIES.items()) for t in types]
    samples += ["91350100M000100Y43", "91350100M000100Y44", "B1120111MA0000001X", "9112011A" + "MA00000011", "short"]
    for _ in range(2000):
        samples.append("".join(rng.choice(codes.ALPHABET + "IOZ") for _ in range(18)))
        good = make_uscc(rng.choice("9N"), "1", seed=rng.randint(0, 10**6))
        samples.append(good[:17] + rng.choice(codes.ALPHABET))
    for code in samples:
        assert codes.is_valid_uscc(code) == codes.validate_uscc(code).valid, code
