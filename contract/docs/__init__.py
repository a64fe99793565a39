"""`make docs`: build the static reference site into build/site/ from the bundled spec, the same
document clients are generated from. The folder works from a file or any static host: an HTML
reference rendered by Redocly's build-docs with Redoc inlined, the spec as YAML and JSON next to
it, and the documented-vs-assumed table."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from contract._node_tools import run_node_tool
from contract.docs._behaviour import HEADING, behaviour_rules, behaviour_section, with_behaviour
from contract.docs._samples import AUTH as SAMPLE_AUTH
from contract.docs._samples import BASE_URL as SAMPLE_BASE_URL
from contract.docs._samples import CURL as CURL_SAMPLE
from contract.docs._samples import EXTENSION as CODE_SAMPLES
from contract.docs._samples import PYTHON as PYTHON_SAMPLE
from contract.docs._samples import Call, calls, code_samples, with_code_samples
from contract.errors import ContractError, ToolError
from contract.layout import GENERATED_DIR, REDOCLY_CONFIG, SITE_DIR, display_path
from contract.spec import assumptions
from contract.spec.source import read_yaml

__all__ = [
    "CODE_SAMPLES",
    "CURL_SAMPLE",
    "HEADING",
    "PYTHON_SAMPLE",
    "SAMPLE_AUTH",
    "SAMPLE_BASE_URL",
    "Call",
    "behaviour_rules",
    "behaviour_section",
    "build_site",
    "calls",
    "code_samples",
    "page_document",
    "table_page",
    "with_behaviour",
    "with_code_samples",
]

PAGE = "index.html"
SPEC_FILES = ("openapi.yaml", "openapi.json")
TABLE = "assumptions.md"


def build_site(
    generated: Path = GENERATED_DIR, output: Path = SITE_DIR, config: Path = REDOCLY_CONFIG
) -> Path:
    """Rebuild `output` from scratch, so nothing of an older build gets published, and return
    the page. The page's options (template, telemetry, download links) live in redocly.yaml.
    The page renders page_document(): the spec with each list operation's Behaviour section
    and each operation's code samples added; the files offered for download are the contract
    as generated."""
    spec = generated / SPEC_FILES[0]
    _empty_folder(output)
    page = output / PAGE
    with tempfile.TemporaryDirectory() as scratch:
        shown = Path(scratch) / SPEC_FILES[1]
        shown.write_text(json.dumps(page_document(read_yaml(spec)), ensure_ascii=False), "utf-8")
        result = run_node_tool(
            "redocly",
            "build-docs",
            str(shown),
            "--config",
            str(config),
            "--lint-config",
            "error",
            "--inlineBundle",
            "--output",
            str(page),
        )
    if result.returncode != 0 or not page.is_file():
        raise ToolError(f"redocly build-docs failed:\n{result.stderr.strip()}")
    for name in SPEC_FILES:
        shutil.copyfile(generated / name, output / name)
    (output / TABLE).write_text(table_page(read_yaml(spec)), "utf-8")
    return page


def page_document(spec: dict[str, Any]) -> dict[str, Any]:
    """What the page renders of a bundled spec: the spec, each list operation's description
    ending with its Behaviour section, and each operation with its code samples."""
    return with_code_samples(with_behaviour(spec))


def table_page(spec: dict[str, Any]) -> str:
    """The documented-vs-assumed table of docs/assumptions.md as a page of the site."""
    info = spec.get("info", {})
    return (
        f"# Documented and assumed: {info.get('title')} {info.get('version')}\n\n"
        "What the provider's page documents, and what this contract decides where that page is"
        " silent; each decision is an assumption (`x-assumptions`) in openapi.yaml.\n\n"
        + assumptions.render_table(spec)
    )


def _empty_folder(folder: Path) -> None:
    """Start from an empty folder; refuse to wipe one that holds more than a site."""
    if folder.exists():
        known = {PAGE, TABLE, *SPEC_FILES}
        strangers = sorted(p.name for p in folder.iterdir() if p.name not in known)
        if strangers:
            raise ContractError(
                f"{display_path(folder)} holds files that are not part of a site"
                f" ({', '.join(strangers)}); choose an empty or new folder"
            )
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
