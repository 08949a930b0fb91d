"""Decode raw bytes into text: BOMs, UTF-16 without BOM, strict UTF-8, Windows-1252, charset guessing.

Everything that cannot be read as text raises :class:`DecodeError` with a short,
human reason ("binary file (PDF)", "undecodable text").  Decoded text has stray
NUL characters removed and line endings normalised to ``\\n``; that normalised
string is what documents store as ``raw`` and what offsets point into.
"""

from __future__ import annotations

import codecs
import re


class DecodeError(ValueError):
    """The bytes are not usable text; ``str(err)`` is the reason."""


# Magic numbers of common binary formats a folder of articles may contain.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ", "xz archive"),
    (b"7z\xbc\xaf", "7z archive"),
    (b"\x7fELF", "executable"),
    (b"MZ\x90\x00", "executable"),
    (b"SQLite format 3", "SQLite database"),
    (b"\xd0\xcf\x11\xe0", "Office document"),
    (b"OggS", "media file"),
    (b"ID3\x03", "audio file"),
    (b"ID3\x04", "audio file"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Control characters other than tab, newline, carriage return and form feed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\x80-\x9f]")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]{4,}")
_SAMPLE = 65536


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n``; NUL characters are dropped."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


_ALL_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def strip_controls(text: str) -> str:
    """``text`` without control characters (C0, DEL, C1), for names and identifiers."""
    return _ALL_CONTROLS.sub("", text)


def has_lone_surrogate(text: str) -> bool:
    """True when ``text`` holds a lone surrogate (e.g. JSON's ``"\\ud800"``), which no encoder accepts."""
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def sniff_binary(data: bytes) -> str | None:
    """Return a reason when ``data`` is clearly a binary format, else None."""
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return f"unsupported binary file ({name})"
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """Detect BOM-less UTF-16 from the NUL pattern of mostly-ASCII text."""
    if len(sample) < 4:
        return None
    even = sample[0::2]
    odd = sample[1::2]
    n = min(len(even), len(odd))
    if n == 0:
        return None
    nul_even = even.count(0) / n
    nul_odd = odd.count(0) / n
    if nul_odd > 0.6 and nul_even < 0.1:
        return "utf-16-le"
    if nul_even > 0.6 and nul_odd < 0.1:
        return "utf-16-be"
    return None


def _looks_like_text(text: str) -> bool:
    """True when the decoded string is mostly printable characters."""
    sample = text[:_SAMPLE]
    if not sample:
        return True
    bad = len(_CONTROL.findall(sample))
    return bad / len(sample) < 0.05


def _plausible_cp1252(text: str) -> bool:
    """Western text decoded as cp1252: few, isolated non-ASCII characters."""
    sample = text[:_SAMPLE]
    non_ascii = sum(1 for ch in sample if ord(ch) > 127)
    letters = sum(1 for ch in sample if ch.isalpha()) or 1
    if non_ascii / letters > 0.3:
        return False
    return _NON_ASCII_RUN.search(sample) is None


def _decode_with(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def detect_and_decode(data: bytes) -> tuple[str, str]:
    """Decode ``data``; return ``(text, encoding)`` or raise :class:`DecodeError`.

    The text is *not* newline-normalised; see :func:`decode_bytes`.
    """
    if not data:
        raise DecodeError("empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _decode_with(data[len(bom):], encoding)
            if text is None:
                raise DecodeError(f"undecodable text (invalid {encoding} after byte-order mark)")
            return text, encoding
    reason = sniff_binary(data)
    if reason:
        raise DecodeError(reason)
    sample = data[:_SAMPLE]
    utf16 = _utf16_without_bom(sample)
    if utf16:
        text = _decode_with(data[: len(data) - len(data) % 2], utf16)
        if text is not None and _looks_like_text(text):
            return text, utf16
    nul_share = sample.count(0) / len(sample)
    if nul_share > 0.1:
        raise DecodeError("unsupported binary file (many NUL bytes)")
    text = _decode_with(data, "utf-8")
    if text is not None:
        return text, "utf-8"
    text = _decode_with(data, "cp1252")
    if text is not None and _plausible_cp1252(text):
        return text, "cp1252"
    from charset_normalizer import from_bytes  # only for the rare file that is neither UTF-8 nor cp1252

    best = from_bytes(data[: 4 * _SAMPLE]).best()
    if best is not None and best.encoding:
        text = _decode_with(data, best.encoding)
        if text is not None:
            return text, best.encoding
    raise DecodeError("undecodable text (not UTF-8 and no known encoding fits)")


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode to text with NULs stripped and newlines normalised; return ``(text, encoding)``.

    Raises :class:`DecodeError` for empty, binary or undecodable input.
    """
    text, encoding = detect_and_decode(data)
    if not _looks_like_text(text.replace("\x00", "")):
        raise DecodeError("unsupported binary file (mostly non-printable characters)")
    return normalise_newlines(text), encoding
