"""Unified social credit codes (GB 32100-2015) and ID numbers (GB 11643): the one home of these checks (DOMAIN §2).

``stdnum.cn.uscc`` computes the check character but refuses letters in positions 1-8, which the standard allows
(authorities A, N, Y): it is used here for the checksum only; the structure is checked against the tables below.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from stdnum import exceptions as stdnum_errors
from stdnum import numdb
from stdnum.cn import ric, uscc

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# An individual business without a code is filed with this placeholder and its 工商注册号 (DOMAIN §2).
PLACEHOLDER = "00000000000000000X"

# 登记管理部门码 → 机构类别码 (DOMAIN §2, GB 32100-2015 table 1).
AUTHORITIES: dict[str, tuple[str, dict[str, str]]] = {
    "1": ("机构编制", {"1": "机关", "2": "事业单位", "3": "群众团体", "9": "其他"}),
    "2": ("外交", {"1": "外国常驻新闻机构", "9": "其他"}),
    "3": (
        "司法行政",
        {"1": "律师事务所", "2": "公证处", "3": "基层法律服务所", "4": "司法鉴定机构", "5": "仲裁委员会", "9": "其他"},
    ),
    "4": ("文化", {"1": "外国在华文化中心", "9": "其他"}),
    "5": ("民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}),
    "6": ("旅游", {"1": "外国旅游部门常驻代表机构", "2": "港澳台地区旅游部门常驻内地代表机构", "9": "其他"}),
    "7": ("宗教", {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"}),
    "8": ("工会", {"1": "基层工会", "9": "其他"}),
    "9": ("市场监管", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}),
    "A": ("中央军委改革和编制办公室", {"1": "军队事业单位", "9": "其他"}),
    "N": ("农业农村", {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"}),
    "Y": ("其他", {"1": "其他"}),
}

_NON_CODE_CHARACTERS = re.compile(r"[\s\-]")


@dataclass(frozen=True)
class CodeError:
    code: str  # stable, machine-readable
    message: str
    position: int | None = None

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "position": self.position}


@dataclass
class CodeCheck:
    code: str
    errors: list[CodeError] = field(default_factory=list)
    expected_check_digit: str | None = None
    is_placeholder: bool = False

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def authority(self) -> str | None:
        entry = AUTHORITIES.get(self.code[:1])
        return entry[0] if entry else None

    @property
    def entity_type(self) -> str | None:
        entry = AUTHORITIES.get(self.code[:1])
        return entry[1].get(self.code[1:2]) if entry else None


def normalise(value: str) -> str:
    """Full-width to half-width, upper case, spaces and hyphens removed."""
    return _NON_CODE_CHARACTERS.sub("", unicodedata.normalize("NFKC", value or "")).upper()


def looks_like_uscc(value: str) -> bool:
    """True when a search term is shaped like a code (then search the indexed column exactly, DOMAIN §13)."""
    text = normalise(value)
    return len(text) == 18 and all(character in ALPHABET for character in text[:17]) and text[17] in ALPHABET


_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_INDEX = {character: index for index, character in enumerate(ALPHABET)}
_SHAPE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}")
_PREFIXES = frozenset(
    authority + entity_type for authority, (_name, types) in AUTHORITIES.items() for entity_type in types
)


def is_valid_uscc(code: str) -> bool:
    """The same verdict as ``validate_uscc(code).valid`` for a stored (normalised) code, fast enough for reports."""
    if not _SHAPE.fullmatch(code) or code[:2] not in _PREFIXES:
        return False
    total = sum(_INDEX[character] * weight for character, weight in zip(code[:17], _WEIGHTS, strict=True))
    return code[17] == ALPHABET[(31 - total % 31) % 31]


@lru_cache(maxsize=65536)
def check_digit(first_17: str) -> str:
    """The 18th character of a code (a pure function, cached: an import checks each code up to three times)."""
    if len(first_17) == 17 and all(character in _INDEX for character in first_17):
        # GB 32100-2015's weighted sum, as stdnum.cn.uscc computes it, without its per-call clean-up of the
        # input (validate_uscc passes normalised codes): ten times faster; tests compare both.
        total = sum(_INDEX[character] * weight for character, weight in zip(first_17, _WEIGHTS, strict=True))
        return ALPHABET[(31 - total % 31) % 31]
    return uscc.calc_check_digit(first_17)


def validate_uscc(value: str, *, allow_placeholder: bool = False) -> CodeCheck:
    """Check a unified social credit code and say which rule failed (DOMAIN §2)."""
    code = normalise(value)
    result = CodeCheck(code=code)
    if code == PLACEHOLDER:
        result.is_placeholder = True
        if not allow_placeholder:
            result.errors.append(
                CodeError(
                    "placeholder_not_allowed",
                    str(_("占位码 00000000000000000X 仅可用于无统一社会信用代码、填报了工商注册号的个体工商户。")),
                )
            )
        return result
    if len(code) != 18:
        result.errors.append(
            CodeError("length", str(_("统一社会信用代码应为18位，当前为%(length)d位。") % {"length": len(code)}))
        )
        return result
    for position, character in enumerate(code, start=1):
        if character not in ALPHABET:
            result.errors.append(
                CodeError(
                    "invalid_character",
                    str(
                        _(
                            "第%(position)d位字符“%(character)s”不允许使用：代码只能由数字和除 I、O、Z、S、V 以外的大写字母组成。"
                        )
                        % {"position": position, "character": character}
                    ),
                    position,
                )
            )
    if result.errors:
        return result
    authority = AUTHORITIES.get(code[0])
    if authority is None:
        result.errors.append(
            CodeError(
                "unknown_authority",
                str(_("第1位登记管理部门码“%(character)s”不存在。") % {"character": code[0]}),
                1,
            )
        )
    elif code[1] not in authority[1]:
        result.errors.append(
            CodeError(
                "unknown_entity_type",
                str(
                    _("第2位机构类别码“%(character)s”不属于登记管理部门“%(authority)s”（可用：%(allowed)s）。")
                    % {
                        "character": code[1],
                        "authority": authority[0],
                        "allowed": pgettext("list separator", "、").join(authority[1]),
                    }
                ),
                2,
            )
        )
    if not code[2:8].isdigit():
        result.errors.append(CodeError("invalid_region", str(_("第3至8位应为6位数字的登记管理机关行政区划码。")), 3))
    expected = check_digit(code[:17])
    if code[17] != expected:
        result.expected_check_digit = expected
        result.errors.append(
            CodeError(
                "check_digit",
                str(
                    _("第18位校验码应为“%(expected)s”，实际为“%(actual)s”。")
                    % {"expected": expected, "actual": code[17]}
                ),
                18,
            )
        )
    return result


@dataclass
class IdCheck:
    number: str
    errors: list[CodeError] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors


@lru_cache(maxsize=4096)
def _known_area(area: str) -> bool:
    """GB 11643: the first six digits are an administrative division code (current or former) of GB/T 2260."""
    info = {key: value for _part, props in numdb.get("cn/loc").info(area) for key, value in props.items()}
    return "province" in info and "county" in info


def normalise_id_number(value: str) -> str:
    return _NON_CODE_CHARACTERS.sub("", unicodedata.normalize("NFKC", value or "")).upper()


def validate_id_number(value: str, *, id_type: str = "01") -> IdCheck:
    """Resident ID numbers per GB 11643 (length, birth date, area, MOD 11-2); other documents by shape only."""
    number = normalise_id_number(value)
    result = IdCheck(number=number)
    if not number:
        result.errors.append(CodeError("required", str(_("请填写证件号码。"))))
        return result
    if id_type != "01":
        if not re.fullmatch(r"[0-9A-Z]{5,20}", number):
            result.errors.append(CodeError("format", str(_("证件号码应为5至20位字母或数字。"))))
        return result
    if len(number) != 18:
        result.errors.append(
            CodeError("length", str(_("居民身份证号码应为18位，当前为%(length)d位。") % {"length": len(number)}))
        )
        return result
    if not re.fullmatch(r"\d{17}[\dX]", number):
        result.errors.append(CodeError("format", str(_("居民身份证号码前17位应为数字，第18位为数字或X。"))))
        return result
    if not _known_area(number[:6]):
        result.errors.append(
            CodeError("area_code", str(_("第1至6位行政区划码“%(area)s”不存在。") % {"area": number[:6]}), 1)
        )
        return result
    try:
        birth_date = ric.get_birth_date(number)
    except stdnum_errors.ValidationError:
        birth_date = None
    if birth_date is None or birth_date.year < 1900 or birth_date > datetime.date.today():
        result.errors.append(
            CodeError("birth_date", str(_("第7至14位出生日期“%(date)s”不是有效日期。") % {"date": number[6:14]}), 7)
        )
        return result
    expected = ric.calc_check_digit(number)
    if number[17] != expected:
        result.errors.append(
            CodeError(
                "check_digit",
                str(
                    _("第18位校验码应为“%(expected)s”，实际为“%(actual)s”。")
                    % {"expected": expected, "actual": number[17]}
                ),
                18,
            )
        )
    return result
