"""HTTP Basic authentication: checked on every request before anything else; missing, wrong
and malformed credentials all give 401 with the spec's challenge and the Error body."""

from __future__ import annotations

import base64

import httpx
import jsonschema
import pytest

from reference_server.app import create_app
from reference_server.auth import DEFAULT_PASSWORD, DEFAULT_USER, Credentials
from reference_server.errors import SetupError
from tests.support import spec_facts
from tests.support.server_client import InProcessClient

DOCUMENTED_ID = spec_facts.documented_list()["data"]["event_groups"][0]["event_group_id"]


def basic(raw: bytes) -> bytes:
    return b"Basic " + base64.b64encode(raw)


def assert_unauthorized(response: httpx.Response) -> str:
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"] == spec_facts.unauthorized_challenge()
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    jsonschema.validate(body, spec_facts.error_schema())
    assert body["status"] == 401
    return str(body["detail"])


ROUTES = [
    ("GET", "/event-groups"),
    ("GET", f"/event-groups/{DOCUMENTED_ID}"),
    ("GET", "/event-groups/unknown-id"),
    ("GET", "/event-groups?count=0&sort_field=nope"),
    ("GET", "/no/such/path"),
    ("DELETE", "/event-groups"),
    ("HEAD", "/event-groups"),
]


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_missing_credentials_give_401_on_every_route_before_anything_else(
    api: InProcessClient, method: str, path: str
) -> None:
    response = api.request(method, path, auth=None)

    assert response.status_code == 401
    if method != "HEAD":
        detail = assert_unauthorized(response)
        assert detail == "HTTP Basic credentials are required."


def test_the_missing_credentials_answer_is_the_documented_example(api: InProcessClient) -> None:
    response = api.get("/event-groups", auth=None)
    unauthorized = spec_facts.resolve(spec_facts.SPEC["components"]["responses"]["Unauthorized"])
    (documented,) = [
        e["value"] for e in unauthorized["content"]["application/json"]["examples"].values()
    ]

    assert_unauthorized(response)
    assert response.json() == documented


@pytest.mark.parametrize(
    "header",
    [
        b"",
        b"   ",
        b"Basic",
        b"Basic ",
        b"Basic !!!",
        b"Basic ====",
        b"Basic dXNlcg",  # base64 without its padding
        b"Basic " + base64.b64encode(b"demo:demo-password")[:-1],
        b"Basic " + base64.b64encode(b"demo:demo-password") + b" extra",
        b"Bearer " + base64.b64encode(b"demo:demo-password"),
        b"Digest username=demo",
        base64.b64encode(b"demo:demo-password"),
        basic(b"demo-demo-password"),  # no colon
        basic(b""),
        basic(b"\xffdemo:demo-password"),  # not UTF-8
        basic("demo:demo-password".encode("utf-16")),
        b"Basic \xff\xfe",  # not ASCII
        b"Basic\tZGVtbzpkZW1vLXBhc3N3b3Jk\x00",
    ],
)
def test_malformed_authorization_headers_give_401(api: InProcessClient, header: bytes) -> None:
    response = api.get("/event-groups", auth=None, headers=[(b"authorization", header)])

    assert_unauthorized(response)


@pytest.mark.parametrize(
    ("user", "password"),
    [
        (DEFAULT_USER, "wrong"),
        ("wrong", DEFAULT_PASSWORD),
        (DEFAULT_USER, DEFAULT_PASSWORD + " "),
        (DEFAULT_USER, ""),
        ("", DEFAULT_PASSWORD),
        (DEFAULT_USER.upper(), DEFAULT_PASSWORD),
        (DEFAULT_USER, DEFAULT_PASSWORD + "\n"),
        (f"{DEFAULT_USER}:{DEFAULT_PASSWORD}", ""),
    ],
)
def test_wrong_credentials_give_401_without_saying_which_half_is_wrong(
    api: InProcessClient, user: str, password: str
) -> None:
    detail = assert_unauthorized(api.get("/event-groups", auth=(user, password)))

    assert detail == "The credentials are not valid."


def test_two_authorization_headers_give_401_even_if_one_is_right(api: InProcessClient) -> None:
    good = basic(f"{DEFAULT_USER}:{DEFAULT_PASSWORD}".encode())
    headers = [(b"authorization", good), (b"authorization", basic(b"x:y"))]

    assert_unauthorized(api.get("/event-groups", auth=None, headers=headers))


@pytest.mark.parametrize("scheme", [b"Basic", b"basic", b"BASIC", b"bAsIc"])
def test_the_scheme_name_is_case_insensitive(api: InProcessClient, scheme: bytes) -> None:
    token = base64.b64encode(f"{DEFAULT_USER}:{DEFAULT_PASSWORD}".encode())
    headers = [(b"authorization", scheme + b" " + token)]

    assert api.get("/event-groups", auth=None, headers=headers).status_code == 200


def test_non_ascii_credentials_are_compared_as_utf8() -> None:
    client = InProcessClient(create_app(Credentials("jürgen", "pässwörd:ñ")), auth=None)

    assert client.get("/event-groups", auth=("jürgen", "pässwörd:ñ")).status_code == 200
    assert client.get("/event-groups", auth=("jurgen", "pässwörd:ñ")).status_code == 401
    latin1 = b"Basic " + base64.b64encode("jürgen:pässwörd:ñ".encode("latin-1"))
    assert_unauthorized(client.get("/event-groups", headers=[(b"authorization", latin1)]))


def test_a_server_accepts_only_its_own_credentials() -> None:
    client = InProcessClient(create_app(Credentials("alice", "s3cret")))

    assert client.get("/event-groups", auth=("alice", "s3cret")).status_code == 200
    assert_unauthorized(client.get("/event-groups", auth=(DEFAULT_USER, DEFAULT_PASSWORD)))


def test_a_user_name_with_a_colon_is_refused_at_startup() -> None:
    with pytest.raises(SetupError, match="':'"):
        Credentials("a:b", "password")
