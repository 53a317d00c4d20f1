"""Text is decoded from the bytes, and conditional GETs report unchanged pages."""

from __future__ import annotations

import codecs

import pytest

from scrapers.fetch import decode_body, fetch_page

WINDOWS_1252_PAGE = (
    '<html><head><meta charset="windows-1252"><title>Stipend</title></head>'
    "<body><p>\u201cFully funded\u201d \u2013 \u20ac2,500 per month, Universit\u00e9 de Li\u00e8ge</p></body></html>"
)


def test_windows_1252_declared_only_in_a_meta_tag_is_decoded_right(server):
    server.page("/advert", WINDOWS_1252_PAGE.encode("cp1252"), content_type="text/html")

    result = fetch_page(server.url("/advert"))

    assert result.encoding == "cp1252"
    assert "\u201cFully funded\u201d \u2013 \u20ac2,500 per month" in result.text
    assert "Universit\u00e9 de Li\u00e8ge" in result.text


def test_an_http_equiv_meta_declaration_is_honoured(server):
    page = WINDOWS_1252_PAGE.replace(
        '<meta charset="windows-1252">',
        '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">',
    )
    server.page("/advert", page.encode("cp1252"), content_type="text/html")

    # WHATWG: iso-8859-1 means windows-1252, which has the curly quotes and the euro sign.
    assert "\u20ac2,500" in fetch_page(server.url("/advert")).text


def test_the_header_charset_wins_over_the_meta_tag():
    body = '<meta charset="windows-1252"><p>Zürich</p>'.encode()

    text, encoding = decode_body(
        body, content_type_header="text/html; charset=utf-8", media_type="text/html"
    )

    assert (text, encoding) == ('<meta charset="windows-1252"><p>Zürich</p>', "utf-8")


def test_a_byte_order_mark_wins_over_everything():
    body = codecs.BOM_UTF16_LE + "<p>Kraków</p>".encode("utf-16-le")

    text, _ = decode_body(
        body, content_type_header="text/html; charset=iso-8859-1", media_type="text/html"
    )

    assert text == "<p>Kraków</p>"


def test_undeclared_latin_text_is_detected():
    body = (
        "<p>"
        + "Les candidatures sont ouvertes à l'université de Liège jusqu'à décembre. " * 5
        + "</p>"
    ).encode("cp1252")

    text, _ = decode_body(body, media_type="text/html")

    assert "université de Liège" in text


def test_an_unchanged_page_answers_not_modified_to_a_conditional_get(server):
    def conditional(request) -> None:
        if request.headers.get("If-None-Match") == '"v1"':
            request.send_response(304)
            request.send_header("ETag", '"v1"')
            request.end_headers()
            return
        body = b"<html>v1</html>"
        request.send_response(200)
        request.send_header("Content-Type", "text/html")
        request.send_header("ETag", '"v1"')
        request.send_header("Last-Modified", "Mon, 02 Mar 2026 10:00:00 GMT")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    server.route("/advert", conditional)

    first = fetch_page(server.url("/advert"))
    second = fetch_page(server.url("/advert"), etag=first.etag, last_modified=first.last_modified)

    assert (first.not_modified, first.etag, first.last_modified) == (
        False,
        '"v1"',
        "Mon, 02 Mar 2026 10:00:00 GMT",
    )
    assert second.not_modified and second.status == 304 and second.text == ""
    advert_requests = [r for r in server.requests if r.path == "/advert"]
    assert advert_requests[1].headers["if-modified-since"] == "Mon, 02 Mar 2026 10:00:00 GMT"


@pytest.mark.parametrize("content_type", ["", "application/octet-stream"])
def test_html_without_a_useful_content_type_is_recognised(server, content_type):
    server.page("/untyped", b"<!DOCTYPE html><html><p>ok</p></html>", content_type=content_type)

    assert fetch_page(server.url("/untyped")).content_type == "text/html"
