"""Bundle the split spec into the one document that generators read and consumers download."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from contract._node_tools import run_node_tool
from contract.errors import ToolError
from contract.spec.source import read_yaml


def bundle(root: Path, output_dir: Path) -> tuple[Path, Path]:
    """Write openapi.yaml (Redocly's bundle: external references become components) and the
    same document as openapi.json into `output_dir`."""
    output_dir.mkdir(parents=True, exist_ok=True)
    yaml_path, json_path = output_dir / "openapi.yaml", output_dir / "openapi.json"
    with tempfile.TemporaryDirectory() as scratch:
        staged = Path(scratch) / "openapi.yaml"
        result = run_node_tool("redocly", "bundle", str(root), "--output", str(staged))
        if result.returncode != 0 or not staged.exists():
            raise ToolError(f"redocly bundle failed:\n{result.stderr.strip()}")
        yaml_path.write_bytes(staged.read_bytes())
    document = read_yaml(yaml_path)
    json_path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return yaml_path, json_path
