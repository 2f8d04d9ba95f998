"""English is one switch away: Django's set_language and complete translations in locale/en."""

import pytest

from django.conf import settings
from django.utils import translation

pytestmark = pytest.mark.django_db


def _switch_to_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_home_page_is_chinese_by_default(client):
    html = client.get("/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "搜索企业、个体工商户名称或统一社会信用代码" in html


def test_switching_to_english_shows_the_home_page_in_english(client):
    _switch_to_english(client)
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Search by name of company or individual business, or unified social credit code" in html
    assert "Xiqing District Public Credit Information Platform" in html
    assert "搜索企业" not in html


def test_switching_to_english_shows_the_login_page_in_english(client):
    _switch_to_english(client)
    html = client.get("/accounts/login/").content.decode()
    assert "Staff login" in html
    assert '<label for="id_username">Username</label>' in html
    assert "工作人员登录" not in html


def test_switching_back_to_chinese(client):
    _switch_to_english(client)
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "公共信用信息查询" in client.get("/").content.decode()


def test_the_switcher_offers_the_other_language(client):
    html = client.get("/").content.decode()
    assert 'name="language" value="en"' in html


def _po_entries(path):
    """(flags, msgid, [msgstr, ...]) of each entry of a .po file; enough of the format for this check."""
    entries, flags, current, field = [], "", None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if current is not None:
                entries.append((flags, current["msgid"], [v for k, v in current.items() if k.startswith("msgstr")]))
            flags, current, field = "", None, None
        elif line.startswith("#,"):
            flags += line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[field] += line[1:-1]
        else:
            key, _space, value = line.partition(" ")
            current = current if current is not None else {}
            field = key
            current[field] = value[1:-1]
    return entries


def test_every_message_in_the_english_catalogue_is_translated_and_not_fuzzy():
    po = settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
    entries = [entry for entry in _po_entries(po) if entry[1]]  # the header has an empty msgid
    assert len(entries) > 500
    untranslated = [msgid for _flags, msgid, strings in entries if not all(strings)]
    fuzzy = [msgid for flags, msgid, _strings in entries if "fuzzy" in flags]
    assert untranslated == []
    assert fuzzy == []


def test_the_compiled_catalogue_is_in_use():
    with translation.override("en"):
        assert str(translation.gettext("工作人员登录")) == "Staff login"


def test_a_browser_asking_for_english_still_gets_chinese_until_the_visitor_switches(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in html
    _switch_to_english(client)
    assert '<html lang="en">' in client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()


def test_an_unknown_language_cookie_falls_back_to_chinese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert '<html lang="zh-hans">' in client.get("/").content.decode()


def test_cached_home_figures_follow_the_visitors_language(client):
    client.get("/")  # fills the cache in Chinese
    _switch_to_english(client)
    html = client.get("/").content.decode()
    assert "Registered subjects" in html
    assert "登记主体" not in html


def test_words_used_both_as_a_status_and_as_a_button_are_translated_by_context():
    from credit_portal.clients.choices import ClientStatus

    with translation.override("en"):
        assert translation.gettext("启用") == "Active"  # the status column
        assert translation.pgettext("enable button", "启用") == "Enable"
        assert translation.pgettext("register button", "登记") == "Register"
        assert str(ClientStatus.REJECTED.label) == "Rejected"
