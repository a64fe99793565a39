"""The rules of operations: an operation, parameter, request body, media type, response or
response header removed, added or made required, the schemas of each (contract/breaking/
_schemas.py), a security scheme in use removed or changed, and a security requirement that no
longer lets a client in. Each rule compares the client views (contract/spec/client_view.py)
of the old and the new spec; its id gives its verdict (contract/breaking/_catalog.py)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from contract.breaking._catalog import verdict_of
from contract.breaking._digest import same
from contract.breaking._lifecycle import (
    deprecation_findings,
    removal_rule,
    stability_of,
    stability_problem,
    stated_stability,
)
from contract.breaking._schemas import mapping, schema_changes
from contract.breaking.changes import Change, Kind
from contract.spec.client_view import parameter_key, pointer
from contract.spec.lifecycle import STABILITY, STABILITY_LEVELS
from contract.spec.source import HTTP_METHODS, operations

PATH_PARAMETER = re.compile(r"\{[^}]*\}")
# What identifies a security scheme to a client; its description does not.
SCHEME_FIELDS = ("type", "scheme", "in", "name", "flows", "openIdConnectUrl")


def contract_changes(before: Any, after: Any) -> list[Change]:
    """Every change these rules judge between two client views, breaking or not."""
    found: list[Change] = []
    current = endpoints(after)
    previous = endpoints(before)
    for key, (old_at, old) in previous.items():
        incoming = key[0] == "webhooks"  # the provider sends the request, consumers answer
        if key not in current:
            found.append(removed_endpoint(key, old_at, old))
            continue
        new_at, new = current[key]
        if not incoming:  # the spec's own security applies where an operation sets none
            found += security_requirement_changes(before, after, new_at, old, new)
        if same(old, new):
            continue
        found += lifecycle_changes(old_at, new_at, old, new)
        found += parameter_changes(old_at, new_at, old, new, incoming=incoming)
        found += body_changes(old_at, new_at, old, new, incoming=incoming)
    for key, (new_at, _) in current.items():
        if key not in previous:
            rule = "webhook-added" if key[0] == "webhooks" else "operation-added"
            what = f"new webhook {key[1]}" if key[0] == "webhooks" else "new operation"
            found.append(
                change(pointer(*new_at), Kind.ADDED, f"{what} {key[2].upper()} {new_at[1]}", rule)
            )
    found += security_scheme_changes(before, after)
    return sorted(set(found))


def change(at: str, kind: Kind, reason: str, rule: str) -> Change:
    return Change(at, verdict_of(rule), kind, reason, rule)


def removed_endpoint(key: Endpoint, at: tuple[str, ...], operation: Any) -> Change:
    if key[0] == "webhooks":
        reason = f"webhook {key[1]} {key[2].upper()} removed: consumers no longer get it"
        return change(pointer(*at), Kind.REMOVED, reason, "webhook-removed")
    rule, why = removal_rule("operation", operation, operation)
    reason = f"operation {key[2].upper()} {at[1]} removed{why}"
    return change(pointer(*at), Kind.REMOVED, reason, rule)


def lifecycle_changes(
    old_at: tuple[str, ...], new_at: tuple[str, ...], old: Any, new: Any
) -> Iterator[Change]:
    """The operation's deprecation and stability level (contract/breaking/_lifecycle.py)."""
    label = f"operation {new_at[2].upper()} {new_at[1]}"
    for rule, key, words in deprecation_findings("operation", old, new, stability_of(new)):
        yield change(pointer(*new_at, key), Kind.CHANGED, f"{label}: {words}", rule)
    problem = stability_problem(new) or stability_problem(old)
    at = pointer(*new_at, STABILITY)
    if problem is not None:
        if not same(old.get(STABILITY), new.get(STABILITY)):
            yield change(at, Kind.CHANGED, f"{label}: {problem}", "stability-invalid")
        return
    was, now = stated_stability(old), stability_of(new)
    if was is not None and was != now:  # stating a level where none was promises no less
        lower = STABILITY_LEVELS.index(now) < STABILITY_LEVELS.index(was)
        rule = "stability-decreased" if lower else "stability-increased"
        yield change(at, Kind.CHANGED, f"{label}: x-stability-level {was} became {now}", rule)


Endpoint = tuple[str, str, str]  # ("paths", template with {} for each parameter, method)


def endpoints(view: Any) -> dict[Endpoint, tuple[tuple[str, ...], Any]]:
    """Each operation and webhook by what identifies it to a client: a path parameter's
    name is not part of the URL, so /groups/{id} and /groups/{group_id} are one path."""
    found: dict[Endpoint, tuple[tuple[str, ...], Any]] = {}
    for path, method, _, operation in operations(view):
        found[("paths", PATH_PARAMETER.sub("{}", path), method)] = (
            ("paths", path, method),
            operation,
        )
    for name, item in mapping(view.get("webhooks")).items():
        for method in HTTP_METHODS:
            if isinstance(item, dict) and isinstance(item.get(method), dict):
                found[("webhooks", str(name), method)] = (
                    ("webhooks", str(name), method),
                    item[method],
                )
    return found


def show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def parameter_keys(at: tuple[str, ...], operation: Any) -> dict[tuple[str, str], tuple[int, Any]]:
    """Parameters by (in, name); path parameters by their place in the path instead, so a
    renamed one is the same parameter."""
    places = PATH_PARAMETER.findall(at[1]) if at[0] == "paths" else []
    keyed = {}
    listed = operation.get("parameters")
    for i, parameter in enumerate(listed if isinstance(listed, list) else []):
        if not isinstance(parameter, dict):
            continue
        where, name = parameter_key(parameter)
        if where == "path" and f"{{{name}}}" in places:
            name = f"#{places.index(f'{{{name}}}')}"
        keyed[(where, name)] = (i, parameter)
    return keyed


def parameter_changes(
    old_at: tuple[str, ...], new_at: tuple[str, ...], old: Any, new: Any, *, incoming: bool
) -> Iterator[Change]:
    current = parameter_keys(new_at, new)
    previous = parameter_keys(old_at, old)
    for key, (i, parameter) in previous.items():
        where, name = parameter_key(parameter)
        label = f"{where} parameter '{name}'"
        if key not in current:
            rule, why = removal_rule("parameter", parameter, old)
            reason = (
                f"{label} removed{why}: a client that sends it no longer gets what it asked for"
                if not incoming
                else f"{label} removed: consumers that read it find nothing"
            )
            yield change(pointer(*old_at, "parameters", i), Kind.REMOVED, reason, rule)
            continue
        j, counterpart = current[key]
        if same(parameter, counterpart):
            continue
        here = pointer(*new_at, "parameters", j)
        yield from parameter_flag_changes(parameter, counterpart, here, label, stability_of(new))
        (old_schema, _), (new_schema, at) = (
            value_schema(parameter, old_at, i),
            value_schema(counterpart, new_at, j),
        )
        if one_or_many(parameter, old_schema, counterpart, new_schema):
            what = "a single value became a list sent as the parameter repeated"
            reason = f"{label}: {what}, so a request with one value is still valid"
            yield change(f"{at}/type", Kind.CHANGED, reason, "parameter-became-list")
            old_schema = {"type": "array", "items": old_schema}
        yield from schema_changes(
            old_schema,
            new_schema,
            at,
            label,
            request=not incoming,
            text=True,
            stability=stated_stability(new),
        )
    for key, (j, parameter) in current.items():
        if key in previous:
            continue
        where, name = parameter_key(parameter)
        required = parameter.get("required") is True
        rule = "required-parameter-added" if required else "parameter-added"
        reason = f"new {'required' if required else 'optional'} {where} parameter '{name}'"
        yield change(pointer(*new_at, "parameters", j), Kind.ADDED, reason, rule)


DEFAULT_STYLE = {"query": "form", "cookie": "form", "path": "simple", "header": "simple"}


def serialization(parameter: Any) -> dict[str, Any]:
    """How a parameter's value is written, with OpenAPI's defaults filled in, so that writing
    out a default changes nothing."""
    style = parameter.get("style", DEFAULT_STYLE.get(str(parameter.get("in")), "form"))
    return {
        "style": style,
        "explode": parameter.get("explode", style == "form"),
        "allowReserved": parameter.get("allowReserved", False),
    }


def parameter_flag_changes(
    old: Any, new: Any, at: str, label: str, stability: str
) -> Iterator[Change]:
    """Required or not, deprecated or not, and how the value is written."""
    was, now = old.get("required") is True, new.get("required") is True
    if was != now:
        rule = "parameter-became-required" if now else "parameter-became-optional"
        reason = f"{label} {'now required' if now else 'no longer required'}"
        yield change(f"{at}/required", Kind.CHANGED, reason, rule)
    for rule, key, words in deprecation_findings("parameter", old, new, stability):
        yield change(f"{at}/{key}", Kind.CHANGED, f"{label}: {words}", rule)
    was_written, now_written = serialization(old), serialization(new)
    for key, value in now_written.items():
        if not same(was_written[key], value):
            reason = f"{label}: {key} {show(was_written[key])} became {show(value)}"
            yield change(f"{at}/{key}", Kind.CHANGED, reason, "parameter-serialization-changed")


def value_schema(parameter: Any, at: tuple[str, ...], index: int) -> tuple[Any, str]:
    """The schema of a parameter's value and where it is: `schema`, or the one of its
    single media type (`content`)."""
    here = pointer(*at, "parameters", index)
    if "schema" in parameter or not isinstance(parameter.get("content"), dict):
        return parameter.get("schema", {}), f"{here}/schema"
    for media, content in parameter["content"].items():
        if isinstance(content, dict):
            return content.get("schema", {}), pointer(
                *at, "parameters", index, "content", media, "schema"
            )
    return {}, f"{here}/schema"


def one_or_many(old: Any, old_schema: Any, new: Any, new_schema: Any) -> bool:
    """Whether a single value became a list that is sent as the parameter repeated (query
    and cookie parameters' default, form style exploded): `?id=1` is still a valid request,
    so the single value is judged against the items."""
    if not isinstance(old_schema, dict) or not isinstance(new_schema, dict):
        return False
    repeated = new.get("style", "form") == "form" and new.get("explode", True) is True
    old_types = old_schema.get("type")
    return (
        new.get("in") in ("query", "cookie")
        and repeated
        and new_schema.get("type") == "array"
        and "array" not in (old_types if isinstance(old_types, list) else [old_types])
        and isinstance(new_schema.get("items"), dict)
    )


def body_changes(
    old_at: tuple[str, ...], new_at: tuple[str, ...], old: Any, new: Any, *, incoming: bool
) -> Iterator[Change]:
    """The request body and each response: the body itself, each media type, the schemas,
    and the response headers. On a webhook (`incoming`) the provider sends the request and
    consumers read it, so the sides swap."""
    yield from request_body_changes(old_at, new_at, old, new, incoming=incoming)
    new_responses = mapping(new.get("responses"))
    old_responses = mapping(old.get("responses"))
    for status, response in old_responses.items():
        counterpart = new_responses.get(status)
        if counterpart is None:
            success = str(status)[:1] in "123"
            rule = "success-response-removed" if success else "error-response-removed"
            reason = f"response {status} removed"
            yield change(pointer(*old_at, "responses", status), Kind.REMOVED, reason, rule)
        elif isinstance(response, dict) and isinstance(counterpart, dict):
            if same(response, counterpart):
                continue
            yield from content_changes(
                response.get("content"),
                counterpart.get("content"),
                (*new_at, "responses", status),
                f"response {status} body",
                request=incoming,
                stability=stated_stability(new),
            )
            yield from header_changes(
                response.get("headers"),
                counterpart.get("headers"),
                (*new_at, "responses", status, "headers"),
                status,
                incoming=incoming,
            )
    for status in new_responses.keys() - old_responses.keys():
        reason = f"response {status} added"
        yield change(pointer(*new_at, "responses", status), Kind.ADDED, reason, "response-added")


def request_body_changes(
    old_at: tuple[str, ...], new_at: tuple[str, ...], old: Any, new: Any, *, incoming: bool
) -> Iterator[Change]:
    old_body, new_body = old.get("requestBody"), new.get("requestBody")
    body_at = pointer(*new_at, "requestBody")
    if isinstance(old_body, dict) and not isinstance(new_body, dict):
        at = pointer(*old_at, "requestBody")
        if incoming:
            reason = "request body removed: consumers that read it find nothing"
            yield change(at, Kind.REMOVED, reason, "webhook-body-removed")
        else:
            reason = "request body removed: clients that send one are refused or misread"
            yield change(at, Kind.REMOVED, reason, "request-body-removed")
        return
    if not isinstance(new_body, dict):
        return
    now_required = new_body.get("required") is True
    if not isinstance(old_body, dict):
        if not incoming:  # a new webhook body: consumers that do not read it are not affected
            rule = "required-request-body-added" if now_required else "request-body-added"
            reason = f"{'required' if now_required else 'optional'} request body added"
            yield change(body_at, Kind.ADDED, reason, rule)
        return
    if (old_body.get("required") is True) != now_required:
        if incoming:
            if now_required:
                reason = "request body now always sent: every consumer still reads it"
                rule = "webhook-body-became-required"
            else:
                reason = "request body no longer always sent: consumers that read it may find none"
                rule = "webhook-body-became-optional"
            yield change(f"{body_at}/required", Kind.CHANGED, reason, rule)
        elif not incoming:
            rule = (
                "request-body-became-required" if now_required else "request-body-became-optional"
            )
            reason = f"request body {'now required' if now_required else 'no longer required'}"
            yield change(f"{body_at}/required", Kind.CHANGED, reason, rule)
    yield from content_changes(
        old_body.get("content"),
        new_body.get("content"),
        (*new_at, "requestBody"),
        "request body",
        request=not incoming,
        stability=stated_stability(new),
    )


def content_changes(
    old: Any, new: Any, at: tuple[str, ...], label: str, *, request: bool, stability: str | None
) -> Iterator[Change]:
    new, old = mapping(new), mapping(old)
    side = "request" if request else "response"
    for media, content in old.items():
        if media not in new:
            reason = f"{label}: media type {media} removed, so clients that " + (
                "send it are refused" if request else "expect it get something else"
            )
            rule = f"{side}-media-type-removed"
            yield change(pointer(*at, "content", media), Kind.REMOVED, reason, rule)
        elif isinstance(content, dict) and isinstance(new[media], dict):
            # a media type without a schema allows any content
            yield from schema_changes(
                content.get("schema", {}),
                new[media].get("schema", {}),
                pointer(*at, "content", media, "schema"),
                label,
                request=request,
                stability=stability,
            )
    for media in new.keys() - old.keys():
        reason = f"{label}: media type {media} added"
        rule = f"{side}-media-type-added"
        yield change(pointer(*at, "content", media), Kind.ADDED, reason, rule)


def header_changes(
    old: Any, new: Any, at: tuple[str, ...], status: str, *, incoming: bool
) -> Iterator[Change]:
    """A response header a client reads must stay: removed, or no longer required, breaks
    the clients that rely on it. An optional header that goes was never promised. Header
    names are case-insensitive. On a webhook the consumer sends the response, so its
    headers are judged as a request's."""
    current = {str(name).lower(): (name, h) for name, h in mapping(new).items()}
    for name, header in mapping(old).items():
        if not isinstance(header, dict):
            continue
        label = f"response {status} header '{name}'"
        new_name, counterpart = current.get(str(name).lower(), (name, None))
        if incoming:
            if isinstance(counterpart, dict):
                yield from schema_changes(
                    header.get("schema", {}),
                    counterpart.get("schema", {}),
                    pointer(*at, new_name, "schema"),
                    label,
                    request=True,
                    text=True,
                )
            continue
        if not isinstance(counterpart, dict):
            if header.get("required") is True:
                reason = f"{label} removed: clients that read it find nothing"
                yield change(pointer(*at, name), Kind.REMOVED, reason, "response-header-removed")
            else:
                reason = f"{label} removed: it was optional"
                rule = "optional-response-header-removed"
                yield change(pointer(*at, name), Kind.REMOVED, reason, rule)
            continue
        if header.get("required") is True and counterpart.get("required") is not True:
            reason = f"{label} no longer required: clients that read it may find nothing"
            yield change(
                pointer(*at, new_name, "required"),
                Kind.CHANGED,
                reason,
                "response-header-became-optional",
            )
        yield from schema_changes(
            header.get("schema", {}),
            counterpart.get("schema", {}),
            pointer(*at, new_name, "schema"),
            label,
            request=False,
            text=True,
        )


def security_scheme_changes(before: Any, after: Any) -> Iterator[Change]:
    old = mapping(mapping(before.get("components")).get("securitySchemes"))
    new = mapping(mapping(after.get("components")).get("securitySchemes"))
    used = {
        name
        for _, _, _, op in operations(before)
        for r in requirements(before, op)
        for name, _ in r
    }
    for name, scheme in old.items():
        at = pointer("components", "securitySchemes", name)
        if name not in used:
            continue  # no client authenticates with a scheme that nothing asks for
        if name not in new:
            reason = (
                f"security scheme '{name}' removed or renamed: "
                "clients that authenticate with it are refused"
            )
            yield change(at, Kind.REMOVED, reason, "security-scheme-removed")
            continue
        for field in SCHEME_FIELDS:
            was, now = mapping(scheme).get(field), mapping(new[name]).get(field)
            if field == "flows":
                was, now = flow_endpoints(was), flow_endpoints(now)
            if not same(was, now):
                reason = (
                    f"security scheme '{name}': {field} changed from {show(was)} to {show(now)}"
                )
                yield change(f"{at}/{field}", Kind.CHANGED, reason, "security-scheme-changed")


Requirement = frozenset[tuple[str, tuple[str, ...]]]


def requirements(view: Any, operation: Any) -> set[Requirement]:
    """The alternatives an operation accepts; the empty requirement means no credentials."""
    listed = operation["security"] if "security" in operation else view.get("security")
    if not isinstance(listed, list) or not listed:
        return {frozenset()}
    return {requirement(item) for item in listed if isinstance(item, dict)}


def requirement(item: dict[str, Any]) -> Requirement:
    """One alternative: each scheme it names with the scopes it asks for."""
    found = set()
    for name, scopes in item.items():
        asked = scopes if isinstance(scopes, list) else []
        found.add((str(name), tuple(sorted(str(scope) for scope in asked))))
    return frozenset(found)


def flow_endpoints(flows: Any) -> dict[str, Any]:
    """What a client of each OAuth flow uses: its URLs. Scopes are judged through the
    operations that ask for them, descriptions not at all."""
    return {
        flow: {k: v for k, v in mapping(settings).items() if k.endswith("Url")}
        for flow, settings in mapping(flows).items()
    }


def satisfies(held: Requirement, asked: Requirement) -> bool:
    """Whether credentials for `held` (schemes with the scopes granted) meet `asked`."""
    granted = dict(held)
    return all(name in granted and set(scopes) <= set(granted[name]) for name, scopes in asked)


def security_requirement_changes(
    before: Any, after: Any, at: tuple[str, ...], old: Any, new: Any
) -> Iterator[Change]:
    """A client that satisfied one of the old alternatives must satisfy one of the new."""
    accepted = requirements(after, new)
    if frozenset() in accepted:
        return
    where = pointer(*at, "security") if "security" in new else "/security"
    for requirement in requirements(before, old):
        if any(satisfies(requirement, alternative) for alternative in accepted):
            continue
        if requirement:
            names = " + ".join(name for name, _ in sorted(requirement))
            reason = f"security requirement {names} no longer accepted"
            yield change(where, Kind.CHANGED, reason, "security-requirement-dropped")
        else:
            reason = "credentials are now required where none were"
            yield change(where, Kind.CHANGED, reason, "security-requirement-added")
