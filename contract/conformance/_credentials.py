"""Authorization headers a server must refuse, and forms of the right credentials it must
accept, each with a recipe that rebuilds it from $AUTH in a replay, so that no report, replay
file or printed command holds a credential, not even the user name in base64.

- Refused: no header, malformed ones (schemathesis never sends those), the right password
  under another user name, empty parts, and edits of the user name and of the password drawn
  from the edit grammar of _edits.py (another case, a character added, removed or replaced by
  a separator, whitespace, a control character, a confusable letter, ...).
- Accepted: what RFC 9110 and RFC 7617 make equivalent to the plain form: the scheme in any
  case, more than one space after it, the header's name in any case."""

from __future__ import annotations

import base64
import random
import shlex
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Final

from contract.conformance._edits import Edit, sample

PARTS: Final = ("user", "password")
# Whole-value edits a shell can also make (tr), for ASCII text.
SHELL_TRANSFORMS: Final = {"case (upper)": "a-z A-Z", "case (lower)": "A-Z a-z",
                           "case (swapcase)": "a-zA-Z A-Za-z"}  # fmt: skip


@dataclass(frozen=True)
class Recipe:
    """How to build an Authorization header from the real user and password: each part kept,
    emptied or edited; the scheme as written and the spaces after it; or a fixed value that
    holds no secret (`raw`), or no header at all (`raw` None and `absent`)."""

    user: Edit | str | None = None  # None: as it is; a string: that (no secret); an Edit: edited
    password: Edit | str | None = None
    scheme: str = "Basic"
    spaces: int = 1
    header_name: str = "Authorization"
    raw: str | None = None
    absent: bool = False

    def parts(self, user: str, password: str) -> tuple[str, str]:
        return built(self.user, user), built(self.password, password)

    def value(self, user: str, password: str) -> str | None:
        """The header's value for these real credentials (None: no header)."""
        if self.absent:
            return None
        if self.raw is not None:
            return self.raw
        token = ":".join(self.parts(user, password))
        return self.scheme + " " * self.spaces + base64.b64encode(token.encode()).decode()

    def python(self) -> list[str]:
        """Replay lines that set `headers` from `AUTH` (a (user, password) tuple)."""
        if self.absent:
            return ["headers = {}"]
        if self.raw is not None:
            return [f"headers = {{{self.header_name!r}: {self.raw!r}}}"]
        lines = ["user, password = AUTH"]
        for name, part in (("user", self.user), ("password", self.password)):
            if isinstance(part, str):
                lines.append(f"{name} = {part!r}")
            elif isinstance(part, Edit):
                lines.append(f"{name} = {python_edit(part, name)}")
        token = 'base64.b64encode(f"{user}:{password}".encode()).decode()'
        prefix = self.scheme + " " * self.spaces
        lines.append(f"headers = {{{self.header_name!r}: {prefix!r} + {token}}}")
        return lines

    def shell(self) -> str:
        """curl's header option, rebuilding the value from $AUTH in bash."""
        if self.absent:
            return ""
        if self.raw is not None:
            return "-H " + shlex.quote(f"{self.header_name}: {self.raw}")
        if self.user is None and self.password is None:
            token = """$(printf %s "$AUTH" | base64 | tr -d '\\n')"""
        else:
            formats, arguments = [], []
            for name, part in (("u", self.user), ("p", self.password)):
                shown, args = shell_part(part, name)
                formats.append(shown)
                arguments += args
            quoted = " ".join(arguments)
            token = (
                f"""$(u="${{AUTH%%:*}}"; p="${{AUTH#*:}}"; printf '{formats[0]}:{formats[1]}' """
                f"""{quoted} | base64 | tr -d '\\n')"""
            )
        return f'-H "{self.header_name}: {self.scheme}{" " * self.spaces}{token}"'


def built(part: Edit | str | None, real: str) -> str:
    if part is None:
        return real
    if isinstance(part, Edit):
        return part.apply(real)
    return part


def python_edit(edit: Edit, name: str) -> str:
    """The Python expression of `edit` applied to the variable `name`."""
    if edit.operation == "transform":
        method = edit.kind.removeprefix("case (").removesuffix(")")
        return f"{name}.{method}()"
    end = edit.index if edit.operation == "insert" else edit.index + 1
    inserted = "" if edit.operation == "delete" else edit.char
    return f"{name}[:{edit.index}] + {inserted!r} + {name}[{end}:]"


def octal(text: str) -> str:
    """`text` as printf escapes of its UTF-8 bytes (safe inside single quotes)."""
    return "".join(f"\\{byte:03o}" for byte in text.encode())


def shell_part(part: Edit | str | None, name: str) -> tuple[str, list[str]]:
    """(printf format, its arguments) for one part, from the bash variable `name`."""
    if part is None:
        return "%s", [f'"${name}"']
    if isinstance(part, str):
        return ("%s", [shlex.quote(part)]) if part else ("", [])
    if part.operation == "transform":
        return "%s", [f'"$(printf %s "${name}" | tr {SHELL_TRANSFORMS[part.kind]})"']
    end = part.index if part.operation == "insert" else part.index + 1
    inserted = "" if part.operation == "delete" else octal(part.char)
    return f"%s{inserted}%s", [f'"${{{name}:0:{part.index}}}"', f'"${{{name}:{end}}}"']


@dataclass(frozen=True)
class Credential:
    """One Authorization a probe sends, what a correct server does with it, and its recipe."""

    label: str
    recipe: Recipe
    accepted: bool = False  # True: an equivalent form of the right credentials
    edit: Edit | None = field(default=None, compare=False)  # of a part, for the coverage


def replayable(edit: Edit) -> bool:
    """An edit of a part that a shell can make too: no whole-value transform but a case one
    of ASCII text."""
    return edit.operation != "transform" or edit.kind in SHELL_TRANSFORMS


def edited(part: str, value: str, rng: random.Random) -> Iterator[Credential]:
    """Edits of one part (`user` or `password`) drawn by the edit grammar."""
    for variant in sample([value], rng, per_cell=1, pairs=0):
        (edit,) = variant.edits
        if not replayable(edit) or (edit.operation == "transform" and not value.isascii()):
            continue
        recipe = Recipe(**{part: edit})  # type: ignore[arg-type]
        yield Credential(f"{part} {edit.describe()}", recipe, edit=edit)


MALFORMED: Final = {
    "not base64": "Basic !!!not-base64!!!",
    "another scheme": "Bearer not-a-basic-token",
    "empty header": "",
    "scheme only": "Basic",
}


def refused(user: str, password: str, rng: random.Random, edits: bool = True) -> list[Credential]:
    """Credentials a server must refuse: none, malformed, empty parts, the right password
    under another user name, and (with `edits`) a sample of edits of each part."""
    found = [Credential("no credentials", Recipe(absent=True))]
    found += [Credential(label, Recipe(raw=value)) for label, value in MALFORMED.items()]
    no_colon = base64.b64encode(b"no-colon-here").decode()
    found.append(Credential("no colon", Recipe(raw=f"Basic {no_colon}")))
    found += [
        Credential("empty user name", Recipe(user="")),
        Credential("empty password", Recipe(password="")),
        Credential("empty user name and password", Recipe(user="", password="")),
        Credential("another user name, the right password", Recipe(user="someone-else")),
    ]
    if edits:
        found += [*edited("user", user, rng), *edited("password", password, rng)]
    return [c for c in found if c.recipe.value(user, password) != Recipe().value(user, password)]


def equivalent() -> list[Credential]:
    """Forms of the right credentials that HTTP makes equal to `Basic <token>`."""
    return [
        Credential("the scheme in lower case", Recipe(scheme="basic"), accepted=True),
        Credential("the scheme in upper case", Recipe(scheme="BASIC"), accepted=True),
        Credential("the scheme in mixed case", Recipe(scheme="bAsIc"), accepted=True),
        Credential("two spaces after the scheme", Recipe(spaces=2), accepted=True),
        Credential(
            "the header name in upper case", Recipe(header_name="AUTHORIZATION"), accepted=True
        ),
    ]


def credentials(user: str, password: str, seed: int, edits: bool = True) -> Sequence[Credential]:
    """Every credential of a probe of one operation (the edits on the first only)."""
    return [*refused(user, password, random.Random(seed), edits), *equivalent()]
