"""Near misses: values that are almost a real one (another case, a prefix, a trailing space,
a full-width letter, an accent added). Servers built on a lenient collation, a `LIKE 'x%'`
lookup or a framework that normalises its input answer every exact value and every clearly
wrong one correctly; only a value that is almost right shows them.

Each variant is made from a value the server holds. Whether a probe may use it is decided by
the caller from the declarations: a variant the declared rule matches (the data contains it,
case folding equates it) is no near miss."""

from __future__ import annotations

import string
import unicodedata
from collections.abc import Callable, Iterator
from typing import Final

Variant = tuple[str, str]  # (what was changed, the changed value)
Maker = Callable[[str], str | None]

FULL_WIDTH_OFFSET: Final = 0xFEE0  # U+FF01..U+FF5E are the full-width forms of ! .. ~
ACUTE: Final = "\u0301"
NO_BREAK_SPACE: Final = "\u00a0"
# Each letter and digit to the next one (9 to 0, z to a): `tr 0-9A-Za-z 1-90B-ZAb-za` in a shell.
SHIFTED: Final = str.maketrans(
    string.digits + string.ascii_uppercase + string.ascii_lowercase,
    string.digits[1:] + "0" + string.ascii_uppercase[1:] + "A" + string.ascii_lowercase[1:] + "a",
)
# ASCII letters in the other case: `tr a-zA-Z A-Za-z` in a shell.
ASCII_CASE_SWAPPED: Final = str.maketrans(
    string.ascii_letters, string.ascii_lowercase.upper() + string.ascii_uppercase.lower()
)


def another_case(text: str) -> str | None:
    return text.swapcase()


def a_prefix(text: str) -> str | None:
    return text[:-1] if len(text) > 1 else None


def a_suffix(text: str) -> str | None:
    return text[1:] if len(text) > 1 else None


def trailing_space(text: str) -> str | None:
    return text + " "


def leading_space(text: str) -> str | None:
    return " " + text


def percent_encoded(text: str) -> str | None:
    """The first character written as its %XX escape: found only by a server that decodes
    the value twice."""
    return f"%{ord(text[0]):02X}{text[1:]}" if text and text[0].isascii() else None


def full_width(text: str) -> str | None:
    """The first ASCII letter or digit in its full-width form (U+FF21 for A), which Unicode
    compatibility normalisation (NFKC) turns back into the original; case folding does not."""
    for index, char in enumerate(text):
        if char.isascii() and char.isalnum():
            return text[:index] + chr(ord(char) + FULL_WIDTH_OFFSET) + text[index + 1 :]
    return None


def decomposed(text: str) -> str | None:
    return unicodedata.normalize("NFD", text)


def composed(text: str) -> str | None:
    return unicodedata.normalize("NFC", text)


def accents_removed(text: str) -> str | None:
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare)


def accent_added(text: str) -> str | None:
    """The first ASCII vowel with an acute accent (é for e)."""
    for index, char in enumerate(text):
        if char in "aeiouAEIOU":
            accented = unicodedata.normalize("NFC", char + ACUTE)
            return text[:index] + accented + text[index + 1 :]
    return None


def no_break_space(text: str) -> str | None:
    return text.replace(" ", NO_BREAK_SPACE, 1) if " " in text else None


def double_space(text: str) -> str | None:
    return text.replace(" ", "  ", 1) if " " in text else None


# What an exact comparison must tell apart, and what a lenient one takes for the same value.
NEAR_MISSES: Final[dict[str, Maker]] = {
    "in another case": another_case,
    "without its last character": a_prefix,
    "without its first character": a_suffix,
    "with a trailing space": trailing_space,
    "with a leading space": leading_space,
    "percent-encoded": percent_encoded,
    "with a full-width letter": full_width,
    "decomposed (NFD)": decomposed,
    "composed (NFC)": composed,
    "with its accents removed": accents_removed,
    "with an accent added": accent_added,
    "with a no-break space": no_break_space,
    "with a double space": double_space,
}


def near_miss(kind: str, text: str) -> str | None:
    """The variant of `text` of this kind (a key of NEAR_MISSES), or None if it has none that
    differs."""
    value = NEAR_MISSES[kind](text)
    return None if value == text else value


def shifted(text: str) -> str | None:
    """`text` with its last character, a letter or digit, changed to the next one."""
    if not text or not (text[-1].isascii() and text[-1].isalnum()):
        return None
    return text[:-1] + text[-1].translate(SHIFTED)


def ascii_case_swapped(text: str) -> str | None:
    swapped = text.translate(ASCII_CASE_SWAPPED)
    return swapped if swapped != text else None


def other_case_name(name: str) -> str:
    """A parameter name in another case: upper case, or lower case if it has no lower-case
    letter."""
    upper = name.upper()
    return upper if upper != name else name.lower()


def shell_quoted(text: str) -> str:
    """`text` as it may stand between double quotes in a POSIX shell."""
    return "".join("\\" + c if c in '\\"$`' else c for c in text)


# Credentials that differ from the right ones by little, each with curl's `-u` argument (for
# double quotes) that sends it with the user and password read from $AUTH, so that a replay
# never shows the password.
USER = "${AUTH%%:*}"
PASSWORD = "${AUTH#*:}"


def credential_near_misses(user: str, password: str) -> Iterator[tuple[str, str, str, str]]:
    """(label, user, password, replay) for each near miss of the credentials that differs."""
    quoted = shell_quoted
    cases: list[tuple[str, str | None, str | None, str]] = [
        ("user name in another case", ascii_case_swapped(user), password,
         f"{quoted(ascii_case_swapped(user) or '')}:{PASSWORD}"),
        ("user name with its last character changed", shifted(user), password,
         f"{quoted(shifted(user) or '')}:{PASSWORD}"),
        ("user name with a trailing space", user + " ", password, f"{quoted(user)} :{PASSWORD}"),
        ("user name with a leading space", " " + user, password, " $AUTH"),
        ("password in another case", user, ascii_case_swapped(password),
         f'{USER}:$(printf %s "{PASSWORD}" | tr a-zA-Z A-Za-z)'),
        ("password with its last character changed", user, shifted(password),
         '${AUTH%?}$(printf %s "${AUTH: -1}" | tr 0-9A-Za-z 1-90B-ZAb-za)'),
        ("password without its last character", user, password[:-1] or None, "${AUTH%?}"),
        ("password with a character added", user, password + "x", "${AUTH}x"),
        ("password with a trailing space", user, password + " ", "$AUTH "),
        ("password with a leading space", user, " " + password, f"{USER}: {PASSWORD}"),
    ]  # fmt: skip
    for label, other_user, other_password, replay in cases:
        if other_user is None or other_password is None:
            continue
        if (other_user, other_password) != (user, password):
            yield label, other_user, other_password, replay
