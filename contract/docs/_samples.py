"""The code samples of the docs page: for each operation a call through the generated Python
client and a curl command, written from the spec and the client's names (client_names.py), so
a sample changes with the operation it shows. tests/docs/test_code_samples.py runs each one
against the reference server. Redoc shows them as tabs from the operation's `x-codeSamples`.

Credentials come from $AUTH (user:password) and the API's URL from $BASE_URL, the variables
of the conformance harness; neither sample puts a credential on a command line."""

from __future__ import annotations

import builtins
import copy
import json
import keyword
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote

from contract.errors import ContractError
from contract.generate.client_names import (
    LIST,
    RETRIEVE,
    ClientMethod,
    client_class_name,
    client_methods,
    client_package,
    python_name,
)
from contract.spec.client_view import client_view
from contract.spec.declarations import ListResource, documented_results, member
from contract.spec.source import deref

EXTENSION: Final = "x-codeSamples"
# Redoc shows a sample when its label (else its lang) is one of its languages, which by
# default include "Python" and "curl"; the lang picks the highlighting (curl as bash).
PYTHON: Final = "Python"
CURL: Final = "curl"
BASE_URL: Final = "BASE_URL"
AUTH: Final = "AUTH"
LINE: Final = 88  # ruff's line length: a longer call gets one argument a line
INDENT: Final = "    "
# Names the sample itself uses, and the builtins a loop variable would hide.
RESERVED: Final = {"api", "os", "user", "password", "result", *dir(builtins)}
# Characters of a path left as they are: none means anything inside double quotes of a shell.
PATH_SAFE: Final = "/-._~:@,;=+*'()"


@dataclass(frozen=True)
class Call:
    """One operation called with example values: what both of its samples send. `query` is in
    the spec's order; `client_query` leaves out what the client's list pages by itself."""

    called: ClientMethod
    path: str  # the path with its parameters filled in, percent-encoded
    path_arguments: tuple[Any, ...]
    query: tuple[tuple[str, Any], ...]
    client_query: tuple[tuple[str, Any], ...]

    @property
    def printed(self) -> tuple[str, ...]:
        """The item properties the Python sample prints (list and retrieve): the detail key,
        then each filtered property, so a reader sees why an item matched."""
        resource = self.called.resource
        if resource is None:
            return ()
        names = [resource.detail.key, *(f.property_name for f in resource.filters)]
        return tuple(dict.fromkeys(names))


def example_of(parameter: Mapping[str, Any]) -> tuple[bool, Any]:
    """(True, value) for a parameter with an example (its own, its first named example, or its
    schema's), else (False, None)."""
    if "example" in parameter:
        return True, parameter["example"]
    named = parameter.get("examples")
    if isinstance(named, Mapping) and named:
        first = next(iter(named.values()))
        if isinstance(first, Mapping) and "value" in first:
            return True, first["value"]
    schema = parameter.get("schema") or {}
    listed = schema.get("examples")
    if isinstance(listed, list) and listed:
        return True, listed[0]
    if "example" in schema:
        return True, schema["example"]
    return False, None


def documented_keys(document: Mapping[str, Any], resource: ListResource) -> list[Any]:
    """The detail keys of the items the list's documented 200 examples show: the items the
    reference server holds when it is given no other data."""
    keys: list[Any] = []
    for value in documented_results(document, resource):
        try:
            items = member(value, resource.paging.results)
        except (KeyError, TypeError):
            continue
        for item in items if isinstance(items, list) else [items]:
            if isinstance(item, Mapping) and resource.detail.key in item:
                keys.append(item[resource.detail.key])
    return keys


def retrieve_key(
    view: Mapping[str, Any], called: ClientMethod, resource: ListResource, given: tuple[bool, Any]
) -> Any:
    """The key the retrieve samples fetch: the path parameter's example when a documented item
    has it (so the reference server answers 200), else the first documented item's key. Both
    kinds of examples are the spec's; the detail example may show an item the list does not."""
    keys = documented_keys(view, resource)
    has_example, example = given
    if has_example and (example in keys or not keys):
        return example
    if keys:
        return keys[0]
    raise ContractError(
        f"{called.key}: the path parameter {resource.detail.parameter!r} has no example and"
        " the list shows no documented item, so its code samples have no key to fetch; add an"
        " example to the parameter"
    )


def lookups(resource: ListResource) -> set[str]:
    """The filter parameters that find one item at most: equality on a unique property."""
    return {
        f.parameter
        for f in resource.filters
        if f.match == "equals" and f.property_name in resource.unique
    }


def calls(document: Mapping[str, Any]) -> dict[str, Call]:
    """`method path` -> the call both samples of that operation make (bundled `document`)."""
    view = client_view(document)
    found: dict[str, Call] = {}
    for key, called in client_methods(document).items():
        operation = view["paths"][called.path][called.method]
        if operation.get("requestBody"):
            raise ContractError(
                f"{key}: the code samples cannot send a request body yet; give the operation"
                " no requestBody, or teach contract/docs/_samples.py to send its example"
            )
        path, path_arguments, query = called.path, {}, []
        for parameter in operation.get("parameters") or []:
            where, name = parameter.get("in"), str(parameter.get("name"))
            has_example, value = example_of(parameter)
            if where == "path" and called.role == RETRIEVE and called.resource is not None:
                given = (has_example, value)
                has_example, value = True, retrieve_key(view, called, called.resource, given)
            if where not in ("path", "query") and parameter.get("required"):
                raise ContractError(
                    f"{key}: the code samples cannot send the required {where} parameter"
                    f" {name!r} yet; teach contract/docs/_samples.py to send it"
                )
            if not has_example:
                if parameter.get("required"):
                    raise ContractError(
                        f"{key}: the required {where} parameter {name!r} has no example, which"
                        " its code samples need; add one"
                    )
                continue
            if where == "path":
                path = path.replace("{" + name + "}", "{" + quote(text(value), safe="") + "}")
                path_arguments[name] = value
            elif where == "query":
                query.append((name, value))
        paged: set[str] = set()
        if called.role == LIST and called.resource is not None:
            listed = called.resource
            paged = {listed.paging.offset, listed.paging.step}
            # An equality filter on a unique property finds one item at most: a sample that
            # pages through matches leaves it out.
            query = [(name, value) for name, value in query if name not in lookups(listed)]
        client_query = tuple((name, value) for name, value in query if name not in paged)
        # The generated functions take path parameters in the order the path names them.
        ordered = sorted(path_arguments, key=lambda name: called.path.index("{" + name + "}"))
        arguments = tuple(path_arguments[name] for name in ordered)
        found[key] = Call(called, encoded_path(path), arguments, tuple(query), client_query)
    return found


def encoded_path(filled: str) -> str:
    """A path whose parameters were filled in as `{percent-encoded value}`, with the rest
    percent-encoded too, so that no character of it means anything to a shell."""
    parts = re.split(r"\{([^}]*)\}", filled)
    return "".join(
        part if index % 2 else quote(part, safe=PATH_SAFE) for index, part in enumerate(parts)
    )


def text(value: Any) -> str:
    """A scalar as a URL carries it: booleans as JSON writes them, the rest as str()."""
    return json.dumps(value) if isinstance(value, bool) or value is None else str(value)


def literal(value: Any) -> str:
    """`value` as Python source: strings in double quotes, as ruff writes them."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(map(literal, value)) + "]"
    if isinstance(value, Mapping):
        pairs = (f"{literal(key)}: {literal(item)}" for key, item in value.items())
        return "{" + ", ".join(pairs) + "}"
    return repr(value)


def item_name(resource: ListResource) -> str:
    """The loop variable of a list sample: the last word of the item's name (`group` for an
    EventGroup), or `item` if that word cannot be one."""
    words = re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", resource.name)
    name = words[-1].lower() if words else ""
    usable = name.isidentifier() and not keyword.iskeyword(name) and name not in RESERVED
    return name if usable else "item"


def invocation(prefix: str, function: str, arguments: Sequence[str], suffix: str) -> list[str]:
    """`prefix function(arguments)suffix` on one line, or one argument a line when too long."""
    one_line = f"{prefix}{function}({', '.join(arguments)}){suffix}"
    if len(one_line) <= LINE or not arguments:
        return [one_line]
    indent = prefix[: len(prefix) - len(prefix.lstrip())]
    return [
        f"{prefix}{function}(",
        *(f"{indent}{INDENT}{argument}," for argument in arguments),
        f"{indent}){suffix}",
    ]


def python_sample(call: Call) -> str:
    """The call through the generated client, as a script that prints what it got."""
    called = call.called
    arguments = [literal(value) for value in call.path_arguments] + [
        f"{python_name(name)}={literal(value)}" for name, value in call.client_query
    ]
    function = f"api.{called.group}.{called.name}"
    body: list[str]
    if called.resource is not None and called.role in (LIST, RETRIEVE):
        name = item_name(called.resource)
        shown = ", ".join(f"{name}.{python_name(p)}" for p in call.printed)
        if called.role == LIST:
            body = invocation(f"{INDENT}for {name} in ", function, arguments, ":")
            body.append(f"{INDENT * 2}print({shown})")
        else:
            body = invocation(f"{INDENT}{name} = ", function, arguments, "")
            body.append(f"{INDENT}print({shown})")
    else:
        body = invocation(f"{INDENT}result = ", function, arguments, "")
        body.append(f"{INDENT}print(result.model_dump_json())")
    package = client_package()
    return "\n".join(
        [
            "import os",
            "",
            f"from {package} import {client_class_name()}",
            "",
            f'user, _, password = os.environ["{AUTH}"].partition(":")',
            f'with {client_class_name()}(os.environ["{BASE_URL}"], user, password) as api:',
            *body,
            "",
        ]
    )


def query_string(query: Sequence[tuple[str, Any]]) -> str:
    """Every name and value percent-encoded, so nothing in it means anything to the shell; an
    array repeats its name for each value (OpenAPI's default for a query: form, exploded)."""
    pairs = [
        f"{quote(name, safe='')}={quote(text(one), safe='')}"
        for name, value in query
        for one in (value if isinstance(value, list | tuple) else [value])
    ]
    return "?" + "&".join(pairs) if pairs else ""


def curl_sample(call: Call) -> str:
    """The request with curl (7.76 or later). The credentials reach curl as a header on its
    stdin (`--header @-`), base64-encoded as Basic auth wants them: printf is a shell builtin
    and base64 reads its stdin, so $AUTH is in no program's arguments, and no character of it
    means anything to curl. --fail-with-body: an error status exits non-zero, and still prints
    the Error body."""
    method = call.called.method.upper()
    request = "" if method == "GET" else f" --request {method}"
    url = f"${BASE_URL}{call.path}{query_string(call.query)}"
    encoded = f"$(printf '%s' \"${AUTH}\" | base64 | tr -d '\\n')"
    return "\n".join(
        [
            f"printf 'Authorization: Basic %s\\n' \"{encoded}\" |",
            f"  curl --silent --show-error --fail-with-body{request} --header @- \\",
            f'    "{url}"',
            "",
        ]
    )


def code_samples(document: Mapping[str, Any]) -> dict[str, list[dict[str, str]]]:
    """`method path` -> the operation's `x-codeSamples`: the Python client, then curl."""
    return {
        key: [
            {"lang": PYTHON, "label": PYTHON, "source": python_sample(call)},
            {"lang": CURL, "label": CURL, "source": curl_sample(call)},
        ]
        for key, call in calls(document).items()
    }


def with_code_samples(document: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a bundled spec with `x-codeSamples` on each operation: for the docs page only,
    never for the published contract."""
    shown = copy.deepcopy(dict(document))
    for key, samples in code_samples(document).items():
        method, path = key.split(" ", 1)
        operation = deref(deref(shown["paths"][path], shown)[method], shown)
        operation[EXTENSION] = samples
    return shown
