"""Writing a set of export files so that a failure leaves nothing half-written.

Every file is written under a temporary name in the destination folder, flushed to
disk, and only when all of them are complete are they moved into place with
`os.replace` (atomic on one file system). Any error, or a cancel, removes the
temporary files; files of an earlier export stay as they were. A folder the export had
to create is removed again when it stays empty.
"""

import contextlib
import os
import secrets
from pathlib import Path
from types import TracebackType
from typing import TextIO

from core.errors import TrialAbstractorError

PART_SUFFIX = ".part"


class ExportError(TrialAbstractorError):
    """An export could not be written; the message names the file and the reason."""


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


class AtomicFiles:
    """Use as a context manager; call `commit()` once every file is written."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._pending: list[tuple[Path, Path, TextIO]] = []
        self._made_folder = False
        self._done = False

    def __enter__(self) -> "AtomicFiles":
        if self.folder.exists() and not self.folder.is_dir():
            raise ExportError(f"{self.folder} is a file, not a folder; choose a folder.")
        if not self.folder.exists():
            try:
                self.folder.mkdir(parents=True)
            except OSError as exc:
                raise ExportError(
                    f"Cannot create the folder {self.folder}: {_reason(exc)}."
                ) from exc
            self._made_folder = True
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if not self._done:
            self.discard()

    def open_text(self, name: str, *, bom: bool = False) -> TextIO:
        """A new text file (UTF-8, newlines untranslated) that becomes `name` on commit."""
        temp = self.folder / f".{name}.{secrets.token_hex(4)}{PART_SUFFIX}"
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except OSError as exc:
            raise ExportError(f"Cannot write {name} in {self.folder}: {_reason(exc)}.") from exc
        stream = open(fd, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed on commit
        self._pending.append((temp, self.folder / name, stream))
        if bom:
            stream.write("\ufeff")
        return stream

    def commit(self) -> list[Path]:
        """Flush every file to disk, then move all of them into place."""
        for _, target, stream in self._pending:
            try:
                stream.flush()
                os.fsync(stream.fileno())
                stream.close()
            except OSError as exc:
                raise ExportError(f"Cannot write {target.name}: {_reason(exc)}.") from exc
        for _, target, _ in self._pending:
            if target.is_dir():
                raise ExportError(f"{target} is a folder; move it away or choose another folder.")
        moved: list[Path] = []
        for temp, target, _ in self._pending:
            try:
                os.replace(temp, target)
            except OSError as exc:
                done = ", ".join(p.name for p in moved)
                also = f" ({done} already replaced)" if done else ""
                raise ExportError(
                    f"Cannot put {target.name} in place: {_reason(exc)}{also}."
                ) from exc
            moved.append(target)
        self._sync_folder()
        self._done = True
        self._pending.clear()
        return moved

    def _sync_folder(self) -> None:
        """Make the renames durable where the system allows syncing a folder."""
        with contextlib.suppress(OSError, AttributeError):
            fd = os.open(self.folder, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    def discard(self) -> None:
        for temp, _, stream in self._pending:
            with contextlib.suppress(OSError, ValueError):
                stream.close()
            with contextlib.suppress(OSError):
                temp.unlink(missing_ok=True)
        self._pending.clear()
        self._done = True
        if self._made_folder:
            with contextlib.suppress(OSError):
                self.folder.rmdir()  # only when empty
