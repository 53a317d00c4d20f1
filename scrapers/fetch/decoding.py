"""From the bytes on the wire to text: bounded content decoding (gzip, deflate, br, zstd,
stopped at the size cap, so a compression bomb stops after the cap), the content-type
allow-list with sniffing, and the text encoding (BOM, Content-Type charset, <meta charset>,
XML declaration, then charset-normalizer; never httpx's guess)."""

from __future__ import annotations

import codecs
import re
import zlib
from collections.abc import Callable, Iterator
from typing import Any, Final

import brotli
import httpx
import zstandard
from charset_normalizer import from_bytes

from scrapers.fetch.base import BadContentType, BrokenResponse, FetchTimeout, TooLarge
from scrapers.fetch.guard import _deadline_passed

# --- Bounded content decoding ------------------------------------------------------------------
_PIECE = 64 * 1024


def _gzip_or_zlib(chunks: Iterator[bytes], wbits: int) -> Iterator[bytes]:
    decompressor = zlib.decompressobj(wbits)
    for chunk in chunks:
        data = chunk
        while data:
            try:
                out = decompressor.decompress(data, _PIECE)
            except zlib.error as error:
                raise BrokenResponse(f"the compressed body is corrupt: {error}") from error
            if out:
                yield out
            if decompressor.eof:
                # gzip allows concatenated members; anything after is another member.
                data = decompressor.unused_data
                if data:
                    decompressor = zlib.decompressobj(wbits)
                continue
            data = decompressor.unconsumed_tail


def _deflate(chunks: Iterator[bytes]) -> Iterator[bytes]:
    # "deflate" is zlib-wrapped per the RFC, but some servers send raw deflate.
    first = next(chunks, b"")
    wbits = zlib.MAX_WBITS if first[:1] and (first[0] & 0x0F) == 8 else -zlib.MAX_WBITS

    def rest() -> Iterator[bytes]:
        yield first
        yield from chunks

    return _gzip_or_zlib(rest(), wbits)


def _brotli(chunks: Iterator[bytes]) -> Iterator[bytes]:
    decompressor = brotli.Decompressor()
    for chunk in chunks:
        try:
            out = decompressor.process(chunk, output_buffer_limit=_PIECE)
            if out:
                yield out
            while not decompressor.can_accept_more_data():
                out = decompressor.process(b"", output_buffer_limit=_PIECE)
                if out:
                    yield out
        except brotli.error as error:
            raise BrokenResponse(f"the brotli body is corrupt: {error}") from error


class _ChunkReader:
    """A file-like view of an iterator of byte chunks, for zstandard's bounded reader."""

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks = chunks
        self._buffer = b""

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        if size < 0:
            data, self._buffer = self._buffer, b""
        else:
            data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data


def _zstd(chunks: Iterator[bytes]) -> Iterator[bytes]:
    try:
        reader: Any = _ChunkReader(chunks)  # file-like: read(size) is all zstandard uses
        yield from zstandard.ZstdDecompressor().read_to_iter(
            reader, read_size=16 * 1024, write_size=_PIECE
        )
    except zstandard.ZstdError as error:
        raise BrokenResponse(f"the zstd body is corrupt: {error}") from error


_DECODERS: dict[str, Callable[[Iterator[bytes]], Iterator[bytes]]] = {
    "gzip": lambda chunks: _gzip_or_zlib(chunks, 16 + zlib.MAX_WBITS),
    "x-gzip": lambda chunks: _gzip_or_zlib(chunks, 16 + zlib.MAX_WBITS),
    "deflate": _deflate,
    "br": _brotli,
    "zstd": _zstd,
}
ACCEPT_ENCODING: Final = "gzip, deflate, br, zstd"


def _decoded(chunks: Iterator[bytes], content_encoding: str) -> Iterator[bytes]:
    codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
    stream = chunks
    for coding in codings:  # applied in order, so undone in order listed
        if coding == "identity":
            continue
        decoder = _DECODERS.get(coding)
        if decoder is None:
            raise BrokenResponse(f"the server used an unknown content encoding {coding!r}")
        stream = decoder(stream)
    return stream


# --- Encoding -------------------------------------------------------------------------------
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([a-zA-Z0-9_:.+-]{1,40})""", re.IGNORECASE
)
_XML_DECLARATION = re.compile(
    rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._-]{1,40})"""
)
_BOMS: Final = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# WHATWG: these labels mean windows-1252 in practice.
_WHATWG_ALIASES: Final = {"iso8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252"}


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("'\"")).name
    except LookupError:
        return None
    return _WHATWG_ALIASES.get(name, name)


def _header_charset(content_type_header: str) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([^\"';\s]+)", content_type_header, re.IGNORECASE)
    return match.group(1) if match else None


def _detect(sample: bytes) -> str:
    matches = from_bytes(sample)
    best = matches.best()
    if best is None:
        return "cp1252"
    # Ties are common between the Latin code pages; windows-1252 is by far the most
    # frequent legacy encoding on the Web, so it wins a tie.
    tied = [m for m in matches if m.chaos == best.chaos and m.coherence == best.coherence]
    if any("cp1252" in m.could_be_from_charset for m in tied):
        return "cp1252"
    return _codec(best.encoding) or "cp1252"


def decode_body(
    body: bytes, *, content_type_header: str = "", media_type: str = ""
) -> tuple[str, str]:
    """Decide the encoding from the bytes (BOM, header, meta, XML declaration, detection)."""
    encoding: str | None = None
    for bom, name in _BOMS:
        if body.startswith(bom):
            encoding = name
            break
    if encoding is None:
        encoding = _codec(_header_charset(content_type_header))
    head = body[:4096]
    if encoding is None and ("html" in media_type or not media_type):
        match = _META_CHARSET.search(head)
        encoding = _codec(match.group(1).decode("ascii")) if match else None
        if encoding in {"utf-16", "utf-16-le", "utf-16-be"}:
            encoding = "utf-8"  # WHATWG: a meta tag cannot declare UTF-16 in ASCII bytes
    if encoding is None and ("xml" in media_type or head.lstrip().startswith(b"<?xml")):
        match = _XML_DECLARATION.search(head)
        encoding = _codec(match.group(1).decode("ascii")) if match else None
    if encoding is None:
        try:
            body.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            encoding = _detect(body[:200_000])
    return body.decode(encoding, errors="replace"), encoding


# --- Content types and the capped body ---------------------------------------------------------
def _accept_header(accept: tuple[str, ...] | None) -> str:
    if not accept:
        return "*/*"
    return ", ".join(accept) + ", */*;q=0.1"


_SNIFFABLE: Final = frozenset({"", "application/octet-stream"})


def _sniff(body: bytes) -> str:
    head = body[:1024].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
        return "text/html"
    if head.startswith(b"<?xml") or head.startswith((b"<rss", b"<feed")):
        return "application/xml"
    if head.startswith((b"{", b"[")):
        return "application/json"
    return ""


def _check_content_type(url: str, media_type: str, body: bytes, accept: tuple[str, ...]) -> str:
    if media_type in accept:
        return media_type
    if media_type in _SNIFFABLE:
        sniffed = _sniff(body)
        if sniffed in accept:
            return sniffed
    wanted = ", ".join(accept)
    raise BadContentType(
        f"{url} is {media_type or 'of no stated type'}, not one of the types this source expects ({wanted})",
        url=url,
    )


def _read_capped(
    response: httpx.Response,
    content_encoding: str,
    limit: int,
    url: str,
    truncate: bool,
    total: float,
) -> bytes:
    """Read the decoded body, stopping as soon as it passes `limit` bytes."""
    raw_seen = 0

    def raw_chunks() -> Iterator[bytes]:
        nonlocal raw_seen
        for chunk in response.iter_raw():
            raw_seen += len(chunk)
            if raw_seen > limit and not truncate:
                raise TooLarge(
                    f"{url} is larger than the limit of {limit:,} bytes"
                    + (f" even compressed ({content_encoding})" if content_encoding else "")
                    + "; stopped reading",
                    url=url,
                )
            yield chunk
            if _deadline_passed():
                raise FetchTimeout(
                    f"{url} took longer than the total deadline of {total} s", url=url
                )

    body = bytearray()
    for piece in _decoded(raw_chunks(), content_encoding):
        body += piece
        if len(body) > limit:
            if truncate:
                return bytes(body[:limit])
            raise TooLarge(
                f"{url} is larger than the limit of {limit:,} bytes once decoded; stopped reading"
                + (f" (content encoding {content_encoding})" if content_encoding else ""),
                url=url,
            )
        if _deadline_passed():
            raise FetchTimeout(f"{url} took longer than the total deadline of {total} s", url=url)
    return bytes(body)
