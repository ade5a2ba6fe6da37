"""Data text is text: what a free-text field may contain, and how it is shown.

Two halves of one policy, kept together so they cannot drift apart:

* :func:`text_faults` is the validation side. A field's ``csto:text`` in the
  schema says what it may hold: ``plain`` (the default for every string field)
  takes no markup at all; ``cite`` takes plain text plus the book's citation
  roles ``{cite:p}`` and ``{cite:t}`` and nothing else. HTML tags and entities,
  MyST roles, directives and substitutions, Markdown links, ``javascript:``-style
  addresses, LaTeX commands and control characters are rejected.
* :func:`escape_text` is the rendering side, the one function through which data
  text becomes MyST Markdown (and through it HTML and LaTeX) or HTML, so that even
  a value that slipped past validation is shown as the characters it holds.
"""

from __future__ import annotations

import html
import re
from typing import Literal

#: The citation roles a ``cite`` field may use (the allow-list).
ALLOWED_ROLES = ("cite:p", "cite:t")

#: Characters CommonMark lets a backslash escape: every ASCII punctuation character.
_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
#: Unicode controls that change text direction (the "Trojan source" characters).
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_KEY = re.compile(r"[A-Za-z0-9_:.-]+")
_ROLE_ANY = re.compile(r"\{([^{}`\s]*)\}`([^`]*)`")

#: (what it is, pattern) for markup a plain-text field must not hold.
_MARKUP: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("an HTML tag", re.compile(r"<\s*/?\s*[A-Za-z!?]")),
    ("an HTML entity", re.compile(r"&(#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")),
    ("a MyST role", re.compile(r"\{[^{}`\s]*\}`")),
    ("a MyST directive or code fence", re.compile(r"```|~~~|:::")),
    ("a MyST substitution", re.compile(r"\{\{")),
    ("a Markdown link or image", re.compile(r"\]\(")),
    ("a script address", re.compile(r"\b(java|vb)script\s*:|\bdata\s*:\s*text/html", re.IGNORECASE)),
    ("a LaTeX command", re.compile(r"\\[A-Za-z@]+|\\[\\{}$&%#_^~]")),
)


#: Unicode category Cc (C0, DEL, C1) and the direction controls.
CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f" + "".join(sorted(_BIDI)) + "]")
_CONTROLS = CONTROLS


def _control(ch: str) -> bool:
    return bool(_CONTROLS.match(ch))


def _snippet(text: str, start: int, end: int) -> str:
    lo, hi = max(start - 10, 0), min(end + 10, len(text))
    part = text[lo:hi]
    shown = "".join(f"\\u{ord(c):04x}" if _control(c) else c for c in part)
    return ("…" if lo else "") + shown + ("…" if hi < len(text) else "")


def control_fault(value: str) -> str | None:
    """The first control character in ``value`` (NUL, a line break, a direction override), if any."""
    m = _CONTROLS.search(value)
    if m is None:
        return None
    i, ch = m.start(), m.group()
    name = "NUL" if ch == "\0" else f"U+{ord(ch):04X}"
    return f"a control character ({name}) at position {i + 1}: '{_snippet(value, i, i + 1)}'"


def text_faults(value: str, policy: str = "plain", known_keys: frozenset[str] | None = None) -> list[str]:
    """What ``value`` holds that its field's text ``policy`` does not allow (empty if nothing).

    ``known_keys`` (the bibliography's keys) is checked against the keys of the
    citation roles in a ``cite`` field, when given.
    """
    control = control_fault(value)
    out: list[str] = [control] if control else []
    rest = value
    if policy == "cite":
        for m in _ROLE_ANY.finditer(value):
            if m.group(1) not in ALLOWED_ROLES:
                out.append(f"the role {{{m.group(1)}}} is not allowed (only {', '.join(ALLOWED_ROLES)})")
                continue
            for key in (k.strip() for k in m.group(2).split(",")):
                if not _KEY.fullmatch(key):
                    out.append(f"'{key}' in {{{m.group(1)}}} is not a citation key")
                elif known_keys is not None and key not in known_keys:
                    out.append(f"'{key}' in {{{m.group(1)}}} is not a key in references.bib")
        rest = _ROLE_ANY.sub(" ", value)  # every role is reported above; check the text around them
    for what, pattern in _MARKUP:
        m = pattern.search(rest)
        if m:
            out.append(f"{what} ('{_snippet(rest, m.start(), m.end())}'); {policy} text takes no markup")
    return out


def _visible(ch: str) -> str:
    """A control character as its visible Unicode picture (NUL as ␀), so it shows as text."""
    if ch in "\n\r\t":
        return " "
    if _control(ch):
        return chr(0x2400 + ord(ch)) if ord(ch) < 0x20 else "\ufffd"
    return ch


def escape_text(value: object, to: Literal["markdown", "html"] = "markdown") -> str:
    """``value`` as literal text in MyST Markdown (and so in the HTML and LaTeX built from it) or HTML.

    Markdown: every ASCII punctuation character is backslash-escaped (CommonMark's
    rule for a literal character), so no tag, role, directive, link, emphasis or
    math can form; line breaks become spaces (a cell or a sentence stays one line).
    HTML: the standard entity escaping. In both, a control character is shown as a
    visible symbol instead of being passed on. (Figures need no escaping: the house
    style turns matplotlib's mathematics off, so a ``$`` in a label is drawn as is.)
    """
    text = _CONTROLS.sub(lambda m: _visible(m.group()), str(value))
    if to == "markdown":
        return "".join("\\" + c if c in _PUNCTUATION else c for c in text)
    if to == "html":
        return html.escape(text, quote=True)
    raise ValueError(f"unknown target {to!r}: markdown or html")


def cite_text(value: str) -> str:
    """A ``cite`` field as MyST: its allowed citation roles kept, all other text escaped."""
    parts, last = [], 0
    for m in _ROLE_ANY.finditer(value):
        keys = [k.strip() for k in m.group(2).split(",")]
        if m.group(1) in ALLOWED_ROLES and all(_KEY.fullmatch(k) for k in keys):
            parts += [escape_text(value[last : m.start()]), f"{{{m.group(1)}}}`{','.join(keys)}`"]
            last = m.end()
    parts.append(escape_text(value[last:]))
    return "".join(parts)


def cite_role(keys: tuple[str, ...] | list[str], role: str = "cite:p") -> str:
    """A citation role for ``keys``; a key that could break out of the role is refused."""
    bad = [k for k in keys if not _KEY.fullmatch(str(k))]
    if bad or role not in ALLOWED_ROLES:
        raise ValueError(f"not citation keys: {bad}" if bad else f"role {role!r} is not allowed")
    return f"{{{role}}}`{','.join(keys)}`" if keys else ""


def code_span(value: object) -> str:
    """``value`` as a Markdown code span, fenced with more backticks than it contains."""
    text = "".join(_visible(c) for c in str(value))
    run = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (run + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


#: A web address in data text: no spaces or angle brackets (which would end the link's address).
_ADDRESS = re.compile(r"https?://[^\s<>\x00-\x1f\x7f]+")


def _address_end(address: str) -> int:
    """Where an address found in running text ends: closing punctuation is the sentence's,
    and so is a closing bracket the address did not open ("(see https://e.org/a_(b))")."""
    end = len(address)
    while end and (address[end - 1] in ".,;:!?'\"" or
                   (address[end - 1] in ")]" and address.count(address[end - 1], 0, end)
                    > address.count("(" if address[end - 1] == ")" else "[", 0, end))):
        end -= 1
    return end


def address_text(value: object) -> str:
    """Data text as MyST, like :func:`escape_text`, with each web address a link to itself.

    The address stays what the data holds, character for character, in the link and in its
    text (an autolink would show a punycode host decoded, and print could not break it);
    being a link, it can break anywhere in print instead of running into the margin.
    """
    text = str(value)
    parts, last = [], 0
    for m in _ADDRESS.finditer(text):
        end = m.start() + _address_end(m.group())
        address = text[m.start():end]
        parts += [escape_text(text[last : m.start()]), f"[{escape_text(address)}](<{address}>)"]
        last = end
    return "".join(parts) + escape_text(text[last:])
