"""Every rule `make breaking` judges by, in one table: a stable id, the verdict it gives and
why. A change carries its rule's id and gets its verdict from here, so the table the docs
render (`make generate` writes it into docs/breaking-changes.md) is the table that runs.

Schema rules know their side. A request schema may only accept more than before (every
request an old client sends stays valid); a response schema may only promise more (every
response an old client reads stays readable). So each schema rule has a request and a
response id for each direction a change can take: narrowed, widened, or changed (neither, or
no rule can tell). On a webhook the provider sends the request and consumers read it, so its
request is judged as a response and its responses as requests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from contract.breaking.changes import Verdict
from contract.marked_block import replace_marked_block

BREAKING, COMPATIBLE, REVIEW = Verdict.BREAKING, Verdict.COMPATIBLE, Verdict.REVIEW


@dataclass(frozen=True)
class Rule:
    id: str
    verdict: Verdict
    change: str  # what changed
    why: str  # why that verdict


_STRUCTURE = (
    Rule("operation-removed", BREAKING, "an operation removed",
         "clients that call it get 404 or 405"),
    Rule("operation-removed-after-sunset", COMPATIBLE,
         "a deprecated operation removed on or after its `x-sunset` date, or deprecated "
         "without one",
         "its clients were told when it would go"),
    Rule("operation-removed-before-sunset", BREAKING,
         "a deprecated operation removed before its `x-sunset` date",
         "its clients were promised it until then; the reason gives the date"),
    Rule("operation-removed-unstable", COMPATIBLE,
         "an operation removed whose `x-stability-level` is `draft` or `alpha`",
         "nothing unstable was promised"),
    Rule("operation-added", COMPATIBLE, "an operation added", "old clients never call it"),
    Rule("stability-decreased", BREAKING,
         "an operation's `x-stability-level` lowered (stable, beta, alpha, draft)",
         "its clients lose promises they were given"),
    Rule("stability-increased", COMPATIBLE, "an operation's `x-stability-level` raised",
         "its clients gain promises"),
    Rule("stability-invalid", BREAKING,
         "an `x-stability-level` that is none of draft, alpha, beta, stable",
         "no one can tell what the operation promises"),
    Rule("operation-deprecated", COMPATIBLE,
         "an operation deprecated with an `x-sunset` date far enough ahead",
         "it still works; the changelog lists it so that clients move on before the sunset"),
    Rule("property-deprecated", COMPATIBLE,
         "a schema property deprecated with an `x-sunset` date far enough ahead",
         "it still works; the changelog lists it"),
    Rule("deprecated-without-sunset", BREAKING,
         "an operation, parameter or property of a stable operation deprecated without an "
         "`x-sunset` date",
         "clients cannot tell how long it stays (oasdiff: api-deprecated-sunset-missing)"),
    Rule("sunset-too-soon", BREAKING,
         "something deprecated with an `x-sunset` date fewer days ahead than its stability "
         "level's notice (180 days for a stable operation)",
         "clients get less notice than the lifecycle promises"),
    Rule("sunset-invalid", BREAKING, "an `x-sunset` that is no date (YYYY-MM-DD)",
         "no one can tell when it goes"),
    Rule("sunset-moved-earlier", BREAKING, "the `x-sunset` of something deprecated moved earlier",
         "its clients were promised the later date"),
    Rule("sunset-removed", BREAKING,
         "the `x-sunset` date of something still deprecated removed",
         "its clients no longer know how long it stays"),
    Rule("sunset-moved-later", COMPATIBLE, "the `x-sunset` of something deprecated moved later",
         "clients get more time"),
    Rule("deprecation-withdrawn", COMPATIBLE, "something no longer deprecated",
         "it stays; nothing that worked stops working"),
    Rule("webhook-removed", BREAKING, "a webhook removed", "consumers no longer get it"),
    Rule("webhook-added", COMPATIBLE, "a webhook added", "consumers that do not know it ignore it"),
    Rule("parameter-removed", BREAKING, "a parameter removed",
         "a client that sends it no longer gets what it asked for"),
    Rule("parameter-removed-after-sunset", COMPATIBLE,
         "a deprecated parameter removed on or after its (or its operation's) `x-sunset` date, or "
         "deprecated without one",
         "its clients were told when it would go"),
    Rule("parameter-removed-before-sunset", BREAKING,
         "a deprecated parameter removed before its `x-sunset` date",
         "its clients were promised it until then; the reason gives the date"),
    Rule("parameter-removed-unstable", COMPATIBLE,
         "a parameter removed from an operation whose `x-stability-level` is `draft` or `alpha`",
         "nothing unstable was promised"),
    Rule("parameter-deprecated", COMPATIBLE,
         "a parameter deprecated with an `x-sunset` date far enough ahead",
         "it still works; the changelog lists it"),
    Rule("parameter-added", COMPATIBLE, "an optional parameter added",
         "old clients leave it out, as they may"),
    Rule("required-parameter-added", BREAKING, "a required parameter added",
         "old clients leave it out and are refused"),
    Rule("parameter-became-required", BREAKING, "an optional parameter made required",
         "clients that leave it out are refused"),
    Rule("parameter-became-optional", COMPATIBLE, "a required parameter made optional",
         "clients that send it still may"),
    Rule("parameter-serialization-changed", BREAKING,
         "a parameter's `style`, `explode` or `allowReserved` changed",
         "the same value is now written otherwise, so old requests are read otherwise"),
    Rule("parameter-became-list", COMPATIBLE,
         "a query or cookie parameter's single value became a list sent as the parameter "
         "repeated", "a request with one value is still valid"),
    Rule("request-body-removed", BREAKING, "a request body removed",
         "clients that send one are refused or misread"),
    Rule("required-request-body-added", BREAKING, "a required request body added",
         "clients that send none are refused"),
    Rule("request-body-became-required", BREAKING, "a request body made required",
         "clients that send none are refused"),
    Rule("request-body-added", COMPATIBLE, "an optional request body added",
         "old clients send none, as they may"),
    Rule("request-body-became-optional", COMPATIBLE, "a request body made optional",
         "clients that send one still may"),
    Rule("webhook-body-removed", BREAKING, "a webhook's request body removed",
         "consumers that read it find nothing"),
    Rule("webhook-body-became-required", COMPATIBLE, "a webhook's request body made required",
         "the provider now always sends it: every consumer still reads it (oasdiff judges a "
         "webhook as a path and calls this breaking)"),
    Rule("webhook-body-became-optional", BREAKING, "a webhook's request body made optional",
         "consumers that read it may find none"),
    Rule("request-media-type-removed", BREAKING, "a request media type removed",
         "clients that send it are refused"),
    Rule("request-media-type-added", COMPATIBLE,
         "a request media type added, whatever its schema requires",
         "clients built before never send it"),
    Rule("response-media-type-removed", BREAKING, "a response media type removed",
         "clients that expect it get something else"),
    Rule("response-media-type-added", COMPATIBLE, "a response media type added",
         "a client gets it only when it asks for it"),
    Rule("success-response-removed", BREAKING, "a 1xx, 2xx or 3xx response removed",
         "clients built to read it get another status"),
    Rule("error-response-removed", COMPATIBLE, "a 4xx, 5xx or `default` response removed",
         "clients handle an error they do not know as any error"),
    Rule("response-added", COMPATIBLE, "a response status added",
         "clients handle a status they do not know as any other of its class"),
    Rule("response-header-removed", BREAKING, "a required response header removed",
         "clients that read it find nothing"),
    Rule("response-header-became-optional", BREAKING, "a required response header made optional",
         "clients that read it may find nothing"),
    Rule("optional-response-header-removed", COMPATIBLE, "an optional response header removed",
         "it was never promised"),
    Rule("response-header-added", COMPATIBLE, "a response header added",
         "clients that do not read it are not affected"),
    Rule("security-scheme-removed", BREAKING,
         "a security scheme that an operation uses removed or renamed",
         "clients that authenticate with it are refused"),
    Rule("security-scheme-changed", BREAKING,
         "a used security scheme's `type`, `scheme`, `in`, `name`, `flows` URLs or "
         "`openIdConnectUrl` changed", "clients send their credentials the old way"),
    Rule("security-requirement-dropped", BREAKING,
         "credentials an operation accepted no longer accepted (a scheme replaced, an OAuth "
         "scope more)", "clients that hold only those are refused"),
    Rule("security-requirement-added", BREAKING,
         "credentials now required where an operation took none",
         "clients that send none are refused (oasdiff: compatible)"),
    Rule("security-relaxed", COMPATIBLE,
         "a security scheme or an alternative set of credentials added, or one removed while "
         "every client's credentials are still accepted",
         "clients go on with the credentials they have"),
    Rule("operation-id-changed", REVIEW, "an `operationId` changed",
         "the requests are the same, but generated clients name their methods after it"),
    Rule("link-changed", BREAKING, "a link fills its parameters from other values",
         "clients follow the link with what it named before"),
    Rule("declaration-broken", BREAKING,
         "a behaviour declaration changed where its `x-change` rule says it breaks clients",
         "a client that relied on the declared behaviour meets another; see the table of "
         "declarations"),
    Rule("declaration-kept", COMPATIBLE,
         "a behaviour declaration changed where its `x-change` rule says no client relied on it",
         "see the table of declarations"),
    Rule("assumption-reworded", REVIEW, "the `decision` of an assumption reads otherwise",
         "no rule reads prose: a person decides whether the behaviour is the same"),
    Rule("documentation", COMPATIBLE,
         "a description, summary, title, example, `externalDocs`, tag or `x-` extension",
         "clients do not read it"),
    Rule("info-version-changed", COMPATIBLE, "`info.version` changed",
         "the version rule reads it: a major bump accepts the breaking changes"),
    Rule("server-changed", COMPATIBLE, "a server URL, description or variable changed",
         "where the API is deployed, not what it accepts: clients choose their base URL"),
    Rule("unused-security-scheme-changed", COMPATIBLE,
         "a security scheme that no operation uses added, changed or removed",
         "no client authenticates with it"),
    Rule("discriminator-hint-changed", COMPATIBLE,
         "a discriminator added or removed, or its `mapping` changed",
         "it helps pick the part of a union; which values are valid stays the same"),
    Rule("unknown-difference", REVIEW, "a difference no rule above knows",
         "listed, never dropped: a person decides"),
)  # fmt: skip

# (aspect, what it covers, directions it can take); every schema rule is side-direction.
_SCHEMA_ASPECTS = (
    ("type", "`type` (or `nullable`)", ("narrowed", "widened", "changed")),
    ("bound", "`minimum`, `maximum`, their exclusive forms, `minLength`, `maxLength`, "
     "`minItems`, `maxItems`, `minProperties`, `maxProperties`, `minContains`, `maxContains`, "
     "`pattern`, `multipleOf`, `uniqueItems`", ("narrowed", "widened", "changed")),
    ("enum", "`enum` or `x-extensible-enum` values", ("narrowed", "widened", "changed")),
    ("condition", "`format`, `const`, `contains`, `propertyNames`, `patternProperties`, "
     "`dependentRequired`, `dependentSchemas`, `if`/`then`/`else`, `unevaluated...`, `not`, "
     "`content...`, `prefixItems`", ("narrowed", "widened", "changed")),
    ("required", "a property made required (narrowed) or optional (widened)",
     ("narrowed", "widened")),
    ("property-removed", "a property removed where the schema refuses other properties "
     "(request), or a required one removed (response)", ("narrowed", "widened")),
    ("composition", "a `oneOf`, `anyOf` or `allOf` part added or removed",
     ("narrowed", "widened")),
    ("schema", "`additionalProperties` or a whole schema (`true`/`false`)",
     ("narrowed", "widened")),
    ("discriminator", "the discriminator's `propertyName`", ("changed",)),
)  # fmt: skip

_DIRECTION_WHY = {
    ("request", "narrowed"): "accepts fewer values: requests that were valid may be refused",
    ("request", "widened"): "accepts more values: every request that was valid still is",
    ("request", "changed"): "accepts other values: requests that were valid may be refused",
    ("response", "narrowed"): "sends fewer kinds of values: clients read every one of them",
    ("response", "widened"): "may send values clients were not built to read",
    ("response", "changed"): "may send values clients were not built to read",
}
_FIXED_SCHEMA_RULES = (
    Rule("request-property-added", COMPATIBLE, "an optional request property added",
         "old clients leave it out, as they may"),
    Rule("response-property-added", COMPATIBLE, "a response property added",
         "clients ignore a property they do not know"),
    Rule("request-optional-property-removed", COMPATIBLE,
         "an optional request property removed where the schema accepts other properties",
         "a request that sends it is still valid"),
    Rule("response-optional-property-removed", REVIEW, "an optional response property removed",
         "clients must cope with its absence, yet one that always found it may not: a person "
         "decides (oasdiff: a warning)"),
    Rule("composition-part-repeated", COMPATIBLE,
         "a `oneOf`, `anyOf` or `allOf` part added or removed that repeats a part that stays",
         "nothing changes"),
    Rule("required-unread", COMPATIBLE,
         "a property made required or optional on a side that never carries it (readOnly in "
         "a request, writeOnly in a response)", "that side never sends or reads it"),
    Rule("access-changed", COMPATIBLE, "a property's `readOnly` or `writeOnly` changed",
         "it says which side carries the property: servers ignore a readOnly property sent, "
         "and the required rules judge what a side must carry"),
    Rule("request-default-changed", BREAKING, "a request value's `default` changed or removed",
         "a client that leaves the value out gets another behaviour"),
    Rule("request-default-added", BREAKING, "a `default` added to a request value",
         "the server now fills in a value a client leaves out: it behaves otherwise"),
    Rule("response-default-changed", BREAKING, "a response value's `default` changed or removed",
         "models generated from the old spec fill an absent value with the old default"),
    Rule("response-default-added", COMPATIBLE, "a `default` added to a response value",
         "it says what an absent value meant"),
)  # fmt: skip


def schema_rule_id(side: str, aspect: str, direction: str) -> str:
    return f"{side}-{aspect}-{direction}"


def _schema_rules() -> tuple[Rule, ...]:
    rules = []
    for side in ("request", "response"):
        for aspect, covers, directions in _SCHEMA_ASPECTS:
            for direction in directions:
                breaks = direction == "changed" or direction == (
                    "narrowed" if side == "request" else "widened"
                )
                rules.append(
                    Rule(
                        schema_rule_id(side, aspect, direction),
                        BREAKING if breaks else COMPATIBLE,
                        f"{side} schema, {covers}: {direction}",
                        _DIRECTION_WHY[(side, direction)],
                    )
                )
    return tuple(rules)


# The rules that announce a removal to come: a changelog lists them under Deprecated.
DEPRECATIONS = frozenset({"operation-deprecated", "parameter-deprecated", "property-deprecated"})

RULES: dict[str, Rule] = {
    rule.id: rule for rule in (*_STRUCTURE, *_FIXED_SCHEMA_RULES, *_schema_rules())
}


def verdict_of(rule_id: str) -> Verdict:
    """The verdict of a rule; KeyError for an id the table does not hold (a bug of ours)."""
    return RULES[rule_id].verdict


def rules_table() -> str:
    """The Markdown table of every rule, for docs/breaking-changes.md."""
    rows = ["| Rule | Verdict | Change | Why |", "|---|---|---|---|"]
    rows += [f"| `{r.id}` | {r.verdict.value} | {r.change} | {r.why} |" for r in RULES.values()]
    return "\n".join(rows) + "\n"


TABLE_START = "<!-- breaking-rules:start (generated by `make generate`, do not edit) -->"
TABLE_END = "<!-- breaking-rules:end -->"


def replace_block(text: str, table: str, where: Path) -> str:
    return replace_marked_block(text, TABLE_START, TABLE_END, table, where)
