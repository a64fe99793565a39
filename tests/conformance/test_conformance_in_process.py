"""schemathesis against the reference server's ASGI app in-process: every operation of the
spec, positive and negative data, all checks, no sockets."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import settings
from schemathesis.config import SchemathesisConfig

from contract.conformance import basic
from contract.layout import BUNDLED_SPEC, REPO_ROOT
from reference_server.app import create_app
from reference_server.auth import Credentials
from reference_server.spec_rules import load_rules

USER, PASSWORD = "in-process", "in-process-password"
APP = create_app(credentials=Credentials(USER, PASSWORD))
CONFIG = SchemathesisConfig.from_path(REPO_ROOT / "schemathesis.toml")
schema = schemathesis.openapi.from_path(BUNDLED_SPEC, config=CONFIG)
# Requests go to APP in-process; the host is never resolved, only the spec's prefix matters.
schema.app = APP
schema.config.update(base_url=f"http://reference.test{load_rules().prefix}")


@schema.parametrize()
@settings(max_examples=60, deadline=None)
def test_the_reference_app_conforms_in_process(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate(headers={"Authorization": basic(USER, PASSWORD)})
