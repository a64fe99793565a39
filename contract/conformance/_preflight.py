"""Before any fuzzing, one authenticated request to each operation's simplest form: a setup
mistake (the server down, the wrong credentials, a URL without the API's path prefix) then
stops the run within seconds, naming the variable to fix, instead of ending minutes later as
findings that blame the server for the user's typo."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import httpx

from contract.errors import SetupError
from contract.spec.source import operations, parameters, read_yaml, server_prefix

TIMEOUT = 3.0  # seconds per request: a server that takes longer to say anything is not set up
REFUSED = (401, 403)


def check_base_url(base_url: str, spec: Path) -> None:
    """BASE_URL must be an http(s) URL with a host and no credentials in it (they belong in
    AUTH or AUTH_FILE: a URL travels on command lines, into logs and into reports)."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        prefix = server_prefix(read_yaml(spec))
        raise SetupError(
            f"BASE_URL={shown(base_url)!r} is no http:// or https:// URL; give the server's "
            f"address with the API's path prefix, e.g. BASE_URL=http://127.0.0.1:8080{prefix}"
        )
    if parts.username is not None or parts.password is not None:
        raise SetupError(
            "BASE_URL carries credentials (user:password@): remove them, and put "
            "user:password in AUTH (or in a 0600 file named by AUTH_FILE)"
        )


def shown(url: str) -> str:
    """`url` without any user information, for messages."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def example_value(parameter: Mapping[str, Any]) -> str:
    """A value for a required parameter: its example, its schema's example or default, else a
    placeholder (a detail operation may then answer 404, which says the path exists)."""
    schema = parameter.get("schema") or {}
    examples = schema.get("examples") or [None]
    for value in (
        parameter.get("example"),
        schema.get("example"),
        examples[0],
        schema.get("default"),
    ):
        if value is not None:
            return str(value)
    return "preflight"


def simplest_requests(document: Any) -> list[tuple[str, str, str]]:
    """(label, path, query string) of each GET operation, with its required parameters
    only."""
    requests = []
    for path, method, item, operation in operations(document):
        if method != "get":
            continue
        filled, query = path, list[tuple[str, str]]()
        for parameter in parameters(item, operation, document):
            if not parameter.get("required"):
                continue
            value = example_value(parameter)
            if parameter.get("in") == "path":
                filled = filled.replace("{" + parameter["name"] + "}", quote(value, safe=""))
            elif parameter.get("in") == "query":
                query.append((parameter["name"], value))
        requests.append((f"GET {path}", filled, "?" + urlencode(query) if query else ""))
    return requests


def preflight(
    base_url: str, user: str, password: str, spec: Path, credentials_variable: str = "AUTH"
) -> None:
    """Raise SetupError, naming BASE_URL or the credentials' variable, when the server cannot
    be tested at all; return quietly when it can (whatever it answered otherwise: wrong
    answers are for the checks to judge)."""
    document = read_yaml(spec)
    statuses: dict[str, int] = {}
    auth = httpx.BasicAuth(user, password)
    with httpx.Client(timeout=TIMEOUT, auth=auth, follow_redirects=False) as client:
        for label, path, query in simplest_requests(document):
            url = base_url.rstrip("/") + path
            try:
                statuses[label] = client.get(url + query).status_code
            except httpx.TimeoutException:
                raise SetupError(
                    f"BASE_URL: {shown(url)} did not answer within {TIMEOUT:g} s; is the "
                    "server running, and is BASE_URL its address?"
                ) from None
            except httpx.HTTPError as exc:
                reason = str(exc) or type(exc).__name__
                raise SetupError(
                    f"BASE_URL: cannot reach {shown(url)}: {reason}; is the server running, "
                    "and is BASE_URL its address (scheme, host, port)?"
                ) from None
    if statuses and all(status in REFUSED for status in statuses.values()):
        codes = "/".join(sorted({str(status) for status in statuses.values()}))
        raise SetupError(
            f"{credentials_variable}: the server refused the credentials of user {user!r} on "
            f"every operation ({codes}); set {credentials_variable} to the user:password "
            "this server accepts"
        )
    if statuses and all(status == 404 for status in statuses.values()):
        raise SetupError(not_found_message(base_url, server_prefix(document)))


def not_found_message(base_url: str, prefix: str) -> str:
    """Every operation answered 404: most likely BASE_URL lacks the API's path prefix."""
    parts = urlsplit(base_url)
    path = parts.path.rstrip("/")
    message = f"BASE_URL: every operation answered 404 under {shown(base_url)}"
    if prefix and not path.endswith(prefix):
        # Cut after the prefix, complete a part of it (/rest-api), or add it to another path.
        if prefix in path:
            fixed = path[: path.index(prefix) + len(prefix)]
        elif prefix.startswith(path + "/"):
            fixed = prefix
        else:
            fixed = path + prefix
        suggested = shown(urlunsplit((parts.scheme, parts.netloc, fixed, "", "")))
        return f"{message}; the spec's paths live under {prefix}: try BASE_URL={suggested}"
    return f"{message}; is BASE_URL the address of this API?"
