"""The changes of operations that Optic's breaking-changes ruleset does not judge (or judges
otherwise): a removed parameter, a removed or newly required request body, a removed media
type, a response header removed or made optional, every schema (contract/breaking/_schemas.py),
a security scheme in use removed or changed, and a security requirement that no longer lets a
client in. Each rule compares the client views (contract/spec/client_view.py) of the old and
the new spec."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from contract.breaking._schemas import mapping, same, schema_changes
from contract.breaking.changes import Change, Kind, Verdict
from contract.spec.client_view import parameter_key, pointer
from contract.spec.source import HTTP_METHODS, operations

PATH_PARAMETER = re.compile(r"\{[^}]*\}")
# What identifies a security scheme to a client; its description does not.
SCHEME_FIELDS = ("type", "scheme", "in", "name", "flows", "openIdConnectUrl")


def contract_changes(before: Any, after: Any) -> list[Change]:
    """Every change these rules judge between two client views, breaking or not."""
    found: list[Change] = []
    current = endpoints(after)
    for key, (old_at, old) in endpoints(before).items():
        if key not in current:
            if key[0] == "webhooks":
                reason = f"webhook {key[1]} {key[2].upper()} removed: consumers no longer get it"
                found.append(breaking(pointer(*old_at), Kind.REMOVED, reason, "webhook-removed"))
            continue  # a removed operation is Optic's finding
        new_at, new = current[key]
        incoming = key[0] == "webhooks"  # the provider sends the request, consumers answer
        found += parameter_changes(old_at, new_at, old, new, incoming=incoming)
        found += body_changes(old_at, new_at, old, new, incoming=incoming)
        if not incoming:
            found += security_requirement_changes(before, after, new_at, old, new)
    found += security_scheme_changes(before, after)
    return sorted(set(found))


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


def breaking(at: str, kind: Kind, reason: str, rule: str) -> Change:
    return Change(at, Verdict.BREAKING, kind, reason, f"ours: {rule}")


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
    for key, (i, parameter) in parameter_keys(old_at, old).items():
        where, name = parameter_key(parameter)
        label = f"{where} parameter '{name}'"
        if key not in current:
            yield breaking(
                pointer(*old_at, "parameters", i),
                Kind.REMOVED,
                f"{label} removed: a client that sends it no longer gets what it asked for"
                if not incoming
                else f"{label} removed: consumers that read it find nothing",
                "parameter-removed",
            )
            continue
        j, counterpart = current[key]
        (old_schema, _), (new_schema, at) = (
            value_schema(parameter, old_at, i),
            value_schema(counterpart, new_at, j),
        )
        if one_or_many(parameter, old_schema, counterpart, new_schema):
            what = "a single value became a list sent as the parameter repeated"
            reason = f"{label}: {what}, so a request with one value is still valid"
            yield Change(
                f"{at}/type", Verdict.COMPATIBLE, Kind.CHANGED, reason, "ours: type-changed"
            )
            old_schema = {"type": "array", "items": old_schema}
        yield from schema_changes(
            old_schema, new_schema, at, label, request=not incoming, text=True
        )


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
    """The request body and each response both versions have: the body itself, each media
    type, the schemas, and the response headers. On a webhook (`incoming`) the provider
    sends the request and consumers read it, so the sides swap."""
    at = new_at
    old_body, new_body = old.get("requestBody"), new.get("requestBody")
    body_at = pointer(*at, "requestBody")
    if isinstance(old_body, dict) and not isinstance(new_body, dict):
        reason = "request body removed: " + (
            "consumers that read it find nothing"
            if incoming
            else "clients that send one are refused or misread"
        )
        yield breaking(
            pointer(*old_at, "requestBody"), Kind.REMOVED, reason, "request-body-removed"
        )
    elif incoming and isinstance(new_body, dict):
        if (
            isinstance(old_body, dict)
            and old_body.get("required") is True
            and new_body.get("required") is not True
        ):
            reason = "request body no longer always sent: consumers that read it may find none"
            yield breaking(f"{body_at}/required", Kind.CHANGED, reason, "request-body-required")
    elif isinstance(new_body, dict) and new_body.get("required") is True:
        reason = "clients that send none are refused"
        if not isinstance(old_body, dict):
            reason = f"required request body added: {reason}"
            yield breaking(body_at, Kind.ADDED, reason, "request-body-required")
        elif old_body.get("required") is not True:
            reason = f"request body now required: {reason}"
            yield breaking(f"{body_at}/required", Kind.CHANGED, reason, "request-body-required")
    if isinstance(old_body, dict) and isinstance(new_body, dict):
        yield from content_changes(
            old_body.get("content"),
            new_body.get("content"),
            (*at, "requestBody"),
            "request body",
            request=not incoming,
        )
    new_responses = mapping(new.get("responses"))
    for status, response in mapping(old.get("responses")).items():
        counterpart = new_responses.get(status)
        if isinstance(response, dict) and isinstance(counterpart, dict):
            # a removed status is Optic's finding
            yield from content_changes(
                response.get("content"),
                counterpart.get("content"),
                (*at, "responses", status),
                f"response {status} body",
                request=incoming,
            )
            yield from header_changes(
                response.get("headers"),
                counterpart.get("headers"),
                (*at, "responses", status, "headers"),
                status,
                incoming=incoming,
            )


def content_changes(
    old: Any, new: Any, at: tuple[str, ...], label: str, *, request: bool
) -> Iterator[Change]:
    new = mapping(new)
    for media, content in mapping(old).items():
        if media not in new:
            reason = f"{label}: media type {media} removed, so clients that " + (
                "send it are refused" if request else "expect it get something else"
            )
            yield breaking(
                pointer(*at, "content", media), Kind.REMOVED, reason, "media-type-removed"
            )
        elif isinstance(content, dict) and isinstance(new[media], dict):
            # a media type without a schema allows any content
            yield from schema_changes(
                content.get("schema", {}),
                new[media].get("schema", {}),
                pointer(*at, "content", media, "schema"),
                label,
                request=request,
            )


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
                yield breaking(pointer(*at, name), Kind.REMOVED, reason, "response-header-removed")
            continue
        if header.get("required") is True and counterpart.get("required") is not True:
            reason = f"{label} no longer required: clients that read it may find nothing"
            yield breaking(
                pointer(*at, new_name, "required"), Kind.CHANGED, reason, "response-header-removed"
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
            yield breaking(at, Kind.REMOVED, reason, "security-scheme-removed")
            continue
        for field in SCHEME_FIELDS:
            was, now = mapping(scheme).get(field), mapping(new[name]).get(field)
            if field == "flows":
                was, now = flow_endpoints(was), flow_endpoints(now)
            if not same(was, now):
                reason = (
                    f"security scheme '{name}': {field} changed from {show(was)} to {show(now)}"
                )
                yield breaking(f"{at}/{field}", Kind.CHANGED, reason, "security-scheme-changed")


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
        else:
            reason = "credentials are now required where none were"
        yield breaking(where, Kind.CHANGED, reason, "security-requirement-dropped")
