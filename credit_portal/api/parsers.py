"""Request parsers shared by the whole API."""

from __future__ import annotations

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from django.utils.translation import gettext_lazy as _

NOT_AN_OBJECT = _("请求体须为 JSON 对象（{...}），不能是数组或单个值。")


class JSONObjectParser(JSONParser):
    """JSON whose top level is an object: every endpoint reads named fields, so an array or a bare value is a 400
    with the standard error body rather than a TypeError deep in a view (issue 9 §7, found by schemathesis)."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type=media_type, parser_context=parser_context)
        if not isinstance(data, dict):
            raise ParseError(NOT_AN_OBJECT, code="not_an_object")
        return data
