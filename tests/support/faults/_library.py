"""The fault library as one table: every faulty server, what a run must report of it, and the
assumptions its fault breaks (none when it breaks only what the spec documents: a schema, a
status, a key that names an item). A run that contradicts another assumption, or holds a
broken one, blames the wrong rule; tests/conformance/test_fault_library.py runs them all.

Where a fault breaks more than its name says, the comment beside it says why: a faulty server
built by rewriting a request (dropping a parameter, say) also lets through what the correct
server would have refused."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.types import ASGIApp

from tests.support.faults._answers import ANSWER_FAULTS, SERVES, items_with_large_states
from tests.support.faults._apps import app_with, reference_app
from tests.support.faults._asgi import Fault
from tests.support.faults._broken import FAULTS
from tests.support.faults._declared import DECLARED_FAULTS, MORE_LIST_FAULTS
from tests.support.faults._lenient import LENIENT_FAULTS, MORE_LENIENT_FAULTS
from tests.support.faults._policy import POLICY_FAULTS
from tests.support.faults._relations import RELATION_FAULTS
from tests.support.faults._strict import STRICT_FAULTS
from tests.support.faults._variants import items_with_near_misses, reference_with_odd_keys

# The assumptions of the bundled spec, as their ids: what a fault can break.
UNKNOWN_AND_REPEATED = "unknown-and-repeated-query-parameters"
FILTERS_AND = "filters-combine-with-and"
COUNT = "count-bounds"
OFFSET = "offset-bounds"
SORT_FIELD = "sort-field-values"
SORT_DIRECTION = "sort-direction-rules"
NAME = "name-filter-matching"
TEXT_ID = "text-id-filter-matching"
ID_FORMAT = "event-group-id-format"
TOTAL = "total-items-counts-all-matches"
ERROR_BODY = "error-body"
UNAUTHORIZED = "unauthorized-status"
NOT_FOUND = "not-found-status"
VALUE_SYNTAX = "query-value-syntax"
ERROR_REPORTING = "error-reporting"
BASIC_CHALLENGE = "basic-challenge"
UNIQUE = "listed-values-unique"


@dataclass(frozen=True)
class Faulty:
    """A faulty server of the library."""

    name: str
    reported: tuple[str, ...]  # substrings that one finding (str(finding)) must all hold
    breaks: frozenset[str] = field(default_factory=frozenset)
    serves: Callable[[], ASGIApp] = reference_app

    @property
    def fault(self) -> Fault:
        return ALL_FAULTS[self.name]

    def app(self) -> ASGIApp:
        return self.fault(self.serves())


ALL_FAULTS: dict[str, Fault] = {
    **FAULTS, **DECLARED_FAULTS, **MORE_LIST_FAULTS, **POLICY_FAULTS, **LENIENT_FAULTS,
    **MORE_LENIENT_FAULTS, **STRICT_FAULTS, **RELATION_FAULTS, **ANSWER_FAULTS,
}  # fmt: skip


def faulty(name: str, *reported: str, breaks: tuple[str, ...] = (), **kwargs: object) -> Faulty:
    return Faulty(name, reported, frozenset(breaks), **kwargs)  # type: ignore[arg-type]


LIBRARY: dict[str, Faulty] = {
    f.name: f
    for f in (
        # _broken: schema, status, a parameter or a credential ignored
        faulty("state is a string", "[response EventGroup] ", "is not of type 'integer'"),
        faulty("text_id is missing", "[response EventGroup] ", "'text_id' is a required"),
        faulty(
            "auth is ignored",
            "[auth EventGroup] no credentials: ",
            "got 200",
            breaks=(UNAUTHORIZED,),
        ),
        faulty("500 at the maximum count", "[parameters EventGroup] count=1000 gave 500"),
        faulty(
            "410 for an unknown id",
            "[detail EventGroup] ",
            "gave 410, not 404",
            breaks=(NOT_FOUND,),
        ),
        # The direction is dropped before validation: a repeated or lower-case one passes.
        faulty(
            "sort direction is ignored",
            "[sorting EventGroup] sort_direction=DESC",
            breaks=(SORT_DIRECTION, UNKNOWN_AND_REPEATED),
        ),
        faulty(
            "total_items counts the page", "[paging EventGroup] count=", ": total ", breaks=(TOTAL,)
        ),
        # The filter is dropped before validation: a repeated one passes.
        faulty(
            "name filter is ignored",
            "[filters EventGroup] name=",
            breaks=(NAME, UNKNOWN_AND_REPEATED),
        ),
        faulty(
            "malformed Basic header accepted",
            "[auth EventGroup] not base64: ",
            "got 200",
            breaks=(UNAUTHORIZED,),
        ),
        # _declared: what only the declarations tell apart
        faulty(
            "filters combined with OR", "[filters-intersect EventGroup] ", breaks=(FILTERS_AND,)
        ),
        faulty("% and _ are wildcards", "[filters EventGroup] name=", breaks=(NAME,)),
        # Its descending pages are no reverse of its ascending ones either.
        faulty(
            "sorting only the returned page",
            "[page-holds-matches EventGroup] ",
            breaks=(SORT_FIELD, SORT_DIRECTION),
        ),
        faulty(
            "DESC without sort field reverses the default order",
            "[sorting EventGroup] sort_direction=DESC",
            breaks=(SORT_DIRECTION,),
        ),
        faulty(
            "unknown parameter rejected",
            "[query-policy EventGroup] undefined_parameter changed the answer",
            breaks=(UNKNOWN_AND_REPEATED,),
        ),
        faulty(
            "repeated parameter accepted",
            "[query-policy EventGroup] count given twice",
            breaks=(UNKNOWN_AND_REPEATED,),
        ),
        # An over-long id is rewritten into a lookup too: 404 where 400 is due.
        faulty(
            "detail 404 beyond the first 50 items",
            "[detail EventGroup] status 404, no item where the declaration says",
            # its 404 comes before authentication and before the key's own check
            breaks=(ID_FORMAT, ERROR_REPORTING),
        ),
        faulty(
            "name filter lower-cases instead of case folding",
            "[case-equivalent EventGroup] ",
            breaks=(NAME,),
        ),
        faulty("name filter matches prefixes only", "[filters EventGroup] name=", breaks=(NAME,)),
        faulty("text_id filter ignores case", "[filters EventGroup] text_id=", breaks=(TEXT_ID,)),
        faulty(
            "DESC keeps ties in ascending order",
            "[descending-reverses EventGroup] ",
            breaks=(SORT_DIRECTION,),
        ),
        faulty(
            "total counts the items before filtering",
            "[filters EventGroup] ",
            ": total ",
            breaks=(TOTAL,),
        ),
        faulty(
            "sort direction defaults to DESC",
            "[sorting EventGroup] sort_field=",
            breaks=(SORT_DIRECTION,),
        ),
        # Its pages miss matches, and its total counts every item.
        faulty("pages before filtering", "[filters EventGroup] ", breaks=(TOTAL, NAME, TEXT_ID)),
        # _policy: credentials, bounds, hostile strings, error bodies, page sizes
        faulty(
            "any user accepted with the right password",
            "[auth EventGroup] another user name, the right password: ",
            "got 200",
            breaks=(UNAUTHORIZED,),
        ),
        faulty(
            "detail answers without credentials",
            "[auth EventGroup] no credentials: /event-groups/",
            "got 200",
            breaks=(UNAUTHORIZED,),
        ),
        faulty(
            "count above its maximum answered as the maximum",
            "[parameters EventGroup] count=1001 gave 200, not 400",
            breaks=(COUNT,),
        ),
        faulty(
            "maximum count rejected with 400",
            "[parameters EventGroup] count=1000 gave 400, not 200",
            breaks=(COUNT,),
        ),
        faulty(
            "lower-case desc accepted as DESC",
            "[parameters EventGroup] sort_direction=desc gave 200, not 400",
            breaks=(SORT_DIRECTION,),
        ),
        faulty(
            "500 for NUL in a filter value",
            "[hostile-strings EventGroup] name=",
            "\\x00",
            "gave 500",
        ),
        faulty(
            "500 for a filter value over 1000 characters",
            "[hostile-strings EventGroup] name=",
            "gave 500",
        ),
        faulty(
            "400 with a plain-text body",
            "[parameters EventGroup] 400 without the declared error body",
            breaks=(ERROR_BODY,),
        ),
        faulty("pages capped at 50 items", "[paging EventGroup] ", breaks=(COUNT,)),
        faulty(
            "default page size 10, not 100", "[paging EventGroup] (no parameters)", breaks=(COUNT,)
        ),
        faulty(
            "404 for a key with a space",
            "[detail EventGroup] status 404",
            serves=reference_with_odd_keys,
        ),
        # _lenient: near misses taken for the real value. A key lookup that takes another key
        # for it breaks the exact comparison that the key's rule and the 404's both state.
        faulty(
            "key looked up ignoring case",
            "[detail EventGroup] ",
            "found the item",
            breaks=(ID_FORMAT, NOT_FOUND),
        ),
        faulty(
            "key looked up ignoring trailing spaces",
            "[detail EventGroup] ",
            "whitespace",
            "found the item",
            breaks=(ID_FORMAT, NOT_FOUND),
        ),
        faulty(
            "key looked up by prefix",
            "[detail EventGroup] ",
            "deleted",
            "found the item",
            breaks=(ID_FORMAT, NOT_FOUND),
        ),
        faulty(
            "key decoded twice",
            "[detail EventGroup] ",
            "percent",
            "found the item",
            breaks=(ID_FORMAT, NOT_FOUND),
        ),
        faulty(
            "key normalised (NFKC)",
            "[detail EventGroup] ",
            "found the item",
            breaks=(ID_FORMAT, NOT_FOUND),
        ),
        faulty(
            "text_id filter ignoring trailing spaces",
            "[filters EventGroup] text_id=",
            "whitespace",
            breaks=(TEXT_ID,),
        ),
        faulty("text_id filter by prefix", "[filters EventGroup] text_id=", breaks=(TEXT_ID,)),
        faulty(
            "text_id filter normalising (NFKC)", "[filters EventGroup] text_id=", breaks=(TEXT_ID,)
        ),
        faulty("name filter ignoring accents", "[filters EventGroup] name=", breaks=(NAME,)),
        faulty("name filter normalising (NFKC)", "[filters EventGroup] name=", breaks=(NAME,)),
        faulty(
            "name filter collapsing whitespace",
            "[filters EventGroup] name=",
            "whitespace",
            breaks=(NAME,),
        ),
        faulty(
            "name filter searching text_id too",
            "[filters EventGroup] name=",
            "the text_id of an item",
            breaks=(NAME,),
        ),
        faulty(
            "parameter names in any case",
            "[query-policy EventGroup] ",
            "in another case) changed the answer",
            breaks=(UNKNOWN_AND_REPEATED,),
        ),
        faulty(
            "user name ignoring case",
            "[auth EventGroup] user case",
            "got 200",
            breaks=(UNAUTHORIZED,),
        ),
        faulty(
            "password trimmed",
            "[auth EventGroup] password ",
            "whitespace",
            "got 200",
            breaks=(UNAUTHORIZED,),
        ),
        faulty(
            "password compared on its first 8 characters",
            "[auth EventGroup] password ",
            "got 200",
            breaks=(UNAUTHORIZED,),
        ),
        faulty(
            "name filter ignoring punctuation",
            "[filters EventGroup] name=",
            "punctuation",
            breaks=(NAME,),
        ),
        faulty(
            "text_id filter trimming control characters",
            "[filters EventGroup] text_id=",
            "c0 control",
            breaks=(TEXT_ID,),
        ),
        faulty(
            "empty password accepted",
            "[auth EventGroup] empty password: ",
            "got 200",
            breaks=(UNAUTHORIZED,),
        ),
        faulty(
            "name filter dropping control and format characters",
            "[filters EventGroup] name=",
            "control",
            breaks=(NAME,),
        ),
        faulty(
            "name filter transliterating to ASCII", "[filters EventGroup] name=", breaks=(NAME,)
        ),
        faulty(
            "name filter matching look-alike letters",
            "[filters EventGroup] name=",
            "homoglyph",
            breaks=(NAME,),
        ),
        faulty(
            "text_id filter on an index of ASCII characters only",
            "[filters EventGroup] text_id=",
            "other",
            breaks=(TEXT_ID,),
        ),
        faulty(
            "count and offset read with int()",
            "[parameters EventGroup] ",
            "gave 200, not 400",
            breaks=(VALUE_SYNTAX,),
        ),
        # Values with whitespace around them: the collection must hold some.
        faulty(
            "the detail trims its values",
            "[detail EventGroup] ",
            serves=lambda: app_with(items_with_near_misses()),
        ),
        # _strict: forms HTTP makes equal to the right credentials, refused
        faulty(
            "scheme compared case-sensitively",
            "[auth EventGroup] the scheme in lower case: ",
            "got 401",
        ),
        faulty(
            "one space after the scheme only",
            "[auth EventGroup] two spaces after the scheme: ",
            "got 401",
        ),
        # _relations: answers to different queries that disagree
        faulty("the listing leaves out items a filter finds", "[within-listing EventGroup] "),
        faulty(
            "the total counts items no page shows", "[total-reachable EventGroup] ", breaks=(TOTAL,)
        ),
        # Its total counts what it lists: the dropped items are not counted either.
        faulty(
            "sorting by a field drops the items whose value repeats",
            "[sort-permutation EventGroup] ",
            breaks=(SORT_FIELD, TOTAL),
        ),
        faulty(
            "the default order changes between requests",
            "[consistent-pages EventGroup] ",
            breaks=(SORT_FIELD,),
        ),
        faulty("a detail differs from its list entry", "[detail-equals-entry EventGroup] "),
        # _answers: the answers to an implementer's questions
        faulty(
            "invalid direction passes without a sort field",
            "[parameters EventGroup] sort_direction=",
            "gave 200, not 400",
            breaks=(SORT_DIRECTION,),
        ),
        faulty(
            "empty values taken as absent",
            "[parameters EventGroup] count= (empty) gave 200, not 400",
            # an empty string a minimum length or an enum refuses: their rules explain it too
            breaks=(VALUE_SYNTAX, NAME, TEXT_ID, SORT_FIELD, SORT_DIRECTION),
        ),
        faulty(
            "integers with leading zeros refused",
            "[parameters EventGroup] ",
            "(declared syntax) gave 400, not 200",
            breaks=(VALUE_SYNTAX,),
        ),
        faulty(
            "detail refuses undefined query parameters",
            "[query-policy EventGroup] /event-groups/",
            "undefined_parameter=1 changed the answer",
            breaks=(UNKNOWN_AND_REPEATED,),
        ),
        faulty(
            "parameters checked before credentials",
            "[error-order EventGroup] ",
            "no credentials and",
            "gave 400, not 401",
            breaks=(ERROR_REPORTING,),
        ),
        faulty(
            "unknown ids looked up before credentials",
            "[error-order EventGroup] ",
            "gave 404, not 401",
            breaks=(ERROR_REPORTING,),
        ),
        faulty(
            "only the first invalid parameter reported",
            "[parameters EventGroup] ",
            "invalid_params leaves out",
            breaks=(ERROR_REPORTING,),
        ),
        faulty(
            "every error body says status 400",
            "whose error body says status 400",
            breaks=(ERROR_BODY,),
        ),
        faulty(
            "errors served as application/problem+json",
            "'application/problem+json', not application/json",
            breaks=(ERROR_BODY,),
        ),
        faulty(
            "challenge without a realm",
            "[auth EventGroup] ",
            "WWW-Authenticate header 'Basic' breaks its schema",
            breaks=(BASIC_CHALLENGE,),
        ),
        faulty(
            "challenge names another scheme",
            "[auth EventGroup] ",
            "WWW-Authenticate header 'Bearer",
            breaks=(BASIC_CHALLENGE,),
        ),
        faulty(
            "integer sort field ordered as text",
            "sort_field=state",
            breaks=(SORT_FIELD,),
            serves=lambda: app_with(items_with_large_states()),
        ),
        faulty(
            "name filter without canonical equivalence",
            "[filters EventGroup] name=",
            breaks=(NAME,),
            serves=SERVES["name filter without canonical equivalence"],
        ),
        faulty(
            "text ids shared by two groups",
            "[unique-values EventGroup] ",
            "share the text_id",
            breaks=(UNIQUE,),
            serves=SERVES["text ids shared by two groups"],
        ),
    )
}
