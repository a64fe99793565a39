"""Archives and checksums that come out the same from the same input on any machine: entries
in name order, owned by nobody, with fixed modes and the build's timestamp, gzip included."""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile
from collections.abc import Iterable
from pathlib import Path

CHECKSUMS = "SHA256SUMS"


def _entry(name: str, mtime: int, *, folder: bool, size: int = 0) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = tarfile.DIRTYPE if folder else tarfile.REGTYPE
    info.mode = 0o755 if folder else 0o644
    info.mtime, info.size = mtime, size
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def tar_folder(folder: Path, target: Path, top: str, mtime: int) -> Path:
    """`folder`'s files under the single top folder `top`, as a reproducible .tar.gz."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        tar.addfile(_entry(top, mtime, folder=True))
        for path in sorted(folder.rglob("*"), key=lambda p: p.relative_to(folder).as_posix()):
            name = f"{top}/{path.relative_to(folder).as_posix()}"
            if path.is_dir():
                tar.addfile(_entry(name, mtime, folder=True))
            else:
                data = path.read_bytes()
                tar.addfile(_entry(name, mtime, folder=False, size=len(data)), io.BytesIO(data))
    with (
        target.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=mtime, compresslevel=9) as gz,
    ):
        gz.write(buffer.getvalue())
    return target


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_checksums(files: Iterable[Path], target: Path) -> Path:
    """The format `sha256sum --check` reads: one `<hex>  <name>` line per file, by name."""
    lines = [f"{sha256(path)}  {path.name}\n" for path in sorted(files, key=lambda p: p.name)]
    target.write_text("".join(lines), "utf-8")
    return target


def read_checksums(path: Path) -> dict[str, str]:
    """File name -> digest, from a file write_checksums() wrote."""
    lines = path.read_text("utf-8").splitlines()
    return {name: digest for digest, _, name in (line.partition("  ") for line in lines) if name}
