"""Bundle the split spec into the one document that generators read and consumers download."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from pathlib import Path

from contract._node_tools import run_node_tool
from contract.errors import ToolError
from contract.spec.source import read_yaml


def bundle(root: Path, output_dir: Path) -> tuple[Path, Path]:
    """Write openapi.yaml (Redocly's bundle: external references become components) and the
    same document as openapi.json into `output_dir`."""
    (written,) = bundle_each([(root, output_dir)])
    return written


def bundle_each(jobs: Sequence[tuple[Path, Path]]) -> list[tuple[Path, Path]]:
    """bundle() of each (root, output folder) pair, with one Redocly run for them all. Given
    several roots, Redocly names each bundle after its root file, so their names must differ
    in more than the extension."""
    stems = [root.stem for root, _ in jobs]
    if len(set(stems)) < len(stems):
        raise ValueError(f"specs bundled together need root files of different names: {stems}")
    roots = [str(root) for root, _ in jobs]
    for _, output_dir in jobs:
        output_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        if len(jobs) == 1:
            staged = [folder / "openapi.yaml"]
            result = run_node_tool("redocly", "bundle", *roots, "--output", str(staged[0]))
        else:
            staged = [folder / f"{stem}.yaml" for stem in stems]
            result = run_node_tool(
                "redocly", "bundle", *roots, "--ext", "yaml", "--output", str(folder)
            )
        if result.returncode != 0 or not all(path.exists() for path in staged):
            raise ToolError(f"redocly bundle failed:\n{result.stderr.strip()}")
        return [write(path, output_dir) for path, (_, output_dir) in zip(staged, jobs, strict=True)]


def write(staged: Path, output_dir: Path) -> tuple[Path, Path]:
    yaml_path, json_path = output_dir / "openapi.yaml", output_dir / "openapi.json"
    yaml_path.write_bytes(staged.read_bytes())
    document = read_yaml(yaml_path)
    json_path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return yaml_path, json_path
