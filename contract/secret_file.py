"""Secrets kept in files: read one the way ssh reads a private key (refused when anyone but
its owner may read or change it), and write a new one that only its owner can read."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from contract.errors import UsageError

OWNER_ONLY = 0o600
NOT_OWNER = 0o077  # any permission for the group or for others


class SecretFileError(UsageError):
    """A secret file is missing, empty, or open to more than its owner."""


def read_secret_file(path: Path) -> str:
    """The first line of `path`, without its line break."""
    try:
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):
            raise SecretFileError(f"{path} is not a regular file")
        if os.name == "posix" and mode & NOT_OWNER:
            raise SecretFileError(
                f"{path}: permissions {stat.S_IMODE(mode):04o} are too open: a file holding a "
                f"secret must be readable by its owner only (chmod 600 {path})"
            )
        text = path.read_text("utf-8")
    except OSError as exc:
        raise SecretFileError(f"{path}: cannot read it ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise SecretFileError(f"{path} is not UTF-8 text") from exc
    lines = text.splitlines()
    if not lines or not lines[0]:
        raise SecretFileError(f"{path}: its first line is empty")
    return lines[0]


def write_secret_file(secret: str, path: Path | None = None) -> Path:
    """Write `secret` and a line break to a new file with mode 0600: `path`, which must not
    exist yet, or a new temporary file. Returns where it went."""
    if path is None:
        handle, name = tempfile.mkstemp(prefix="reference-server-password-", suffix=".txt")
        path = Path(name)
    else:
        try:
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY)
        except OSError as exc:
            raise SecretFileError(f"{path}: cannot create it ({exc.strerror or exc})") from exc
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        os.fchmod(file.fileno(), OWNER_ONLY)  # mkstemp and a umask both leave 0600 or less
        file.write(secret + "\n")
    return path
