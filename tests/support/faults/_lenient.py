"""Servers more lenient than the contract: each takes for equal what the contract says
differs, the way real stacks do by default (a collation that ignores case or trailing spaces,
a lookup by `LIKE 'x%'`, a value decoded or normalised once more, a router that matches
names in any case, a credential check that normalises its input). Every one answers exact
and clearly wrong values correctly; only near misses show them."""

from __future__ import annotations

import contextlib
import json
import unicodedata
from collections.abc import Callable
from urllib.parse import quote, unquote

from starlette.types import ASGIApp, Receive, Scope, Send

from tests.support.faults._apps import PASSWORD, USER
from tests.support.faults._asgi import (
    Fault,
    Headers,
    Item,
    Query,
    Reply,
    ask,
    detail_key,
    is_detail,
    is_list,
    results,
    rewrite,
    rewrite_query,
    without,
)
from tests.support.faults._declared import Reader, Rule, list_fault, misfiltered
from tests.support.faults._policy import credentials_accepted
from tests.support.spec_facts import (
    CONTAINS_FILTER,
    COUNT,
    EXACT_FILTER,
    FILTERS,
    KEY,
    MAXIMUM_COUNT,
    OFFSET,
    QUERY_PARAMETERS,
)

Same = Callable[[str, str], bool]  # (what was asked, what is stored) -> taken as equal


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def unaccented(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def collapsed(text: str) -> str:
    return " ".join(text.split())


def key_lookup(same: Same) -> Fault:
    """The detail operation finds the first item whose key `same` takes for the one asked."""

    def wrap(app: ASGIApp) -> ASGIApp:
        async def faulty(scope: Scope, receive: Receive, send: Send) -> None:
            if is_detail(scope):
                asked = detail_key(scope)
                status, body = await ask(app, scope, [(COUNT, str(MAXIMUM_COUNT))])
                stored = [str(item[KEY]) for item in results(body)] if status == 200 else []
                found = next((k for k in stored if same(asked, k)), None)
                if asked not in stored and found is not None:
                    path = str(scope["path"]).rsplit("/", 1)[0] + "/" + found
                    scope = {**scope, "path": path, "raw_path": quote(path).encode()}
            await app(scope, receive, send)

        return faulty

    return wrap


def stored_value(name: str) -> Callable[[Item], str]:
    return lambda item: str(item[FILTERS[name]["property"]])


def also_searching(name: str, other: str) -> Rule:
    """The filter `name` matches the values of the filter `other`'s property too, as a search
    over two columns does."""

    async def rule(read: Reader, query: Query) -> list[Item] | None:
        value = dict(query).get(name)
        if value is None:
            return None
        folded = value.casefold()
        return [
            item
            for item in await read(without(query, name))
            if any(folded in stored_value(n)(item).casefold() for n in (name, other))
        ]

    return rule


def names_in_any_case(query: Query) -> Query:
    """Parameter names matched as a case-insensitive router does."""
    defined = {name.casefold(): name for name in QUERY_PARAMETERS}
    return [(defined.get(name.casefold(), name), value) for name, value in query]


def contains(keep: Callable[[str], str]) -> Callable[[str, str], bool]:
    """The name filter's rule, case-folded, on the values `keep` makes of both sides."""
    return lambda value, name: keep(value).casefold() in keep(name).casefold()


LENIENT_FAULTS: dict[str, Fault] = {
    # item keys of the detail operation
    "key looked up ignoring case": key_lookup(lambda a, k: a.casefold() == k.casefold()),
    "key looked up ignoring trailing spaces": key_lookup(lambda a, k: a.rstrip() == k.rstrip()),
    "key looked up by prefix": key_lookup(lambda a, k: k.startswith(a)),
    "key decoded twice": key_lookup(lambda a, k: unquote(a) == k),
    "key normalised (NFKC)": key_lookup(lambda a, k: nfkc(a) == nfkc(k)),
    # the equals filter
    "text_id filter ignoring trailing spaces": list_fault(
        misfiltered(EXACT_FILTER, lambda value, text_id: value.rstrip() == text_id.rstrip())
    ),
    "text_id filter by prefix": list_fault(
        misfiltered(EXACT_FILTER, lambda value, text_id: text_id.startswith(value))
    ),
    "text_id filter normalising (NFKC)": list_fault(
        misfiltered(EXACT_FILTER, lambda value, text_id: nfkc(value) == nfkc(text_id))
    ),
    # the contains filter
    "name filter ignoring accents": list_fault(misfiltered(CONTAINS_FILTER, contains(unaccented))),
    "name filter normalising (NFKC)": list_fault(misfiltered(CONTAINS_FILTER, contains(nfkc))),
    "name filter collapsing whitespace": list_fault(
        misfiltered(CONTAINS_FILTER, contains(collapsed))
    ),
    "name filter searching text_id too": list_fault(also_searching(CONTAINS_FILTER, EXACT_FILTER)),
    # query parameter names
    "parameter names in any case": rewrite_query(names_in_any_case, where=is_list),
    # credentials
    "user name ignoring case": credentials_accepted(
        lambda user, password: (user.casefold(), password) == (USER.casefold(), PASSWORD)
    ),
    "password trimmed": credentials_accepted(
        lambda user, password: (user, password.strip()) == (USER, PASSWORD)
    ),
    "password compared on its first 8 characters": credentials_accepted(
        lambda user, password: (user, password[:8]) == (USER, PASSWORD[:8])
    ),
}


def unpunctuated(text: str) -> str:
    """`text` without punctuation and symbols, as a search that ignores them compares it."""
    return "".join(c for c in text if unicodedata.category(c)[0] not in "PS")


def java_trimmed(text: str) -> str:
    """`text` without the characters up to U+0020 at either end, as Java's String.trim()
    leaves it: spaces, tabs, line breaks and every other C0 control."""
    return text.strip("".join(map(chr, range(0x21))))


def visible(text: str) -> str:
    """`text` without control and format characters, as an input sanitiser leaves it."""
    return "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf"))


def transliterated(text: str) -> str:
    """`text` in ASCII letters, as a transliterating search index (unidecode and the like)
    stores it: a letter of another script by the Latin letter its Unicode name ends with
    (CYRILLIC SMALL LETTER A is `a`), accents dropped."""
    out = []
    for char in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(char):
            continue
        last = unicodedata.name(char, "").rsplit(" ", 1)[-1]
        out.append(last.lower() if len(last) == 1 and not char.isascii() else char)
    return "".join(out)


# The Latin letter a Cyrillic or Greek letter is taken for, by the last word of its Unicode
# name, as a confusables skeleton (UTS #39) maps them; other characters are kept.
LOOK_ALIKE: dict[str, str] = {
    "A": "a", "ALPHA": "a", "VE": "b", "BETA": "b", "ES": "c", "IE": "e", "EPSILON": "e",
    "EN": "h", "ETA": "h", "I": "i", "IOTA": "i", "JE": "j", "KA": "k", "KAPPA": "k", "EM": "m",
    "MU": "m", "NU": "n", "O": "o", "OMICRON": "o", "ER": "p", "RHO": "p", "DZE": "s", "TE": "t",
    "TAU": "t", "U": "y", "UPSILON": "y", "HA": "x", "CHI": "x", "ZETA": "z",
}  # fmt: skip


def skeleton(text: str) -> str:
    """`text` with each Cyrillic or Greek letter replaced by the Latin one it looks like."""
    out = []
    for char in text:
        name = unicodedata.name(char, "")
        script = name.split(" ", 1)[0]
        look = LOOK_ALIKE.get(name.rsplit(" ", 1)[-1]) if script in ("CYRILLIC", "GREEK") else None
        out.append(look.upper() if look and "CAPITAL" in name else look or char)
    return "".join(out)


def ascii_only(text: str) -> str:
    """`text` without the characters beyond ASCII, as an index that drops them keeps it."""
    return "".join(c for c in text if c.isascii())


def int_read(query: Query) -> Query:
    """count and offset read with Python's int(), which also takes `+5`, ` 5`, `1_0` and
    the digits of other scripts; read back as plain decimal digits for the server."""
    read = []
    for name, value in query:
        if name in (COUNT, OFFSET):
            with contextlib.suppress(ValueError):
                value = str(int(value))
        read.append((name, value))
    return read


def detail_values_trimmed(scope: Scope, status: int, headers: Headers, body: bytes) -> Reply:
    """The detail of an item gives its text values without surrounding whitespace."""
    if not is_detail(scope) or status != 200:
        return status, headers, body
    document = json.loads(body)
    item = document["data"]
    for name, value in list(item.items()):
        if isinstance(value, str):
            item[name] = value.strip()
    return status, headers, json.dumps(document).encode()


# Lenient in ways a fixed list of near misses did not try: each shows only to a class of the
# edit grammar (punctuation, C0, C1 and format characters, look-alike letters, other scripts'
# letters and digits, whitespace around a value) or to an empty part of the credentials.
MORE_LENIENT_FAULTS: dict[str, Fault] = {
    "name filter dropping control and format characters": list_fault(
        misfiltered(CONTAINS_FILTER, contains(visible))
    ),
    "name filter transliterating to ASCII": list_fault(
        misfiltered(CONTAINS_FILTER, contains(transliterated))
    ),
    "text_id filter on an index of ASCII characters only": list_fault(
        misfiltered(EXACT_FILTER, lambda value, text_id: ascii_only(value) == ascii_only(text_id))
    ),
    "count and offset read with int()": rewrite_query(int_read, where=is_list),
    "the detail trims its values": rewrite(detail_values_trimmed),
    "name filter ignoring punctuation": list_fault(
        misfiltered(CONTAINS_FILTER, contains(unpunctuated))
    ),
    "text_id filter trimming control characters": list_fault(
        misfiltered(EXACT_FILTER, lambda value, text_id: java_trimmed(value) == text_id)
    ),
    "name filter matching look-alike letters": list_fault(
        misfiltered(CONTAINS_FILTER, contains(skeleton))
    ),
    "empty password accepted": credentials_accepted(
        lambda user, password: user == USER and password in (PASSWORD, "")
    ),
}
