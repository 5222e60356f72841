"""Operations on PyInstaller TOCs: trim by rules, and what trimming leaves dangling.

A TOC is a list of (name in the bundle, source path, kind) entries, kind being
"BINARY", "EXTENSION", "DATA", "SYMLINK", ... For a SYMLINK the source is the link's
target, relative to the link's folder in the bundle. Nothing here builds; the
linked-libraries look-up is a parameter, so tests pass their own.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

Entry = tuple[str, str, str]  # (name in the bundle, source, kind)
Rule = tuple[str, str]  # (fnmatch pattern on the name in the bundle, reason)
# The names of the libraries a binary links (its DT_NEEDED entries, as ldd reads them).
LinkedLibraries = Callable[[str], Iterable[str]]


def _posix(name: str) -> str:
    return name.replace(os.sep, "/")


def matches(name: str, rules: Sequence[Rule]) -> bool:
    """Whether a rule's pattern matches `name` ("*" also matches "/")."""
    return any(fnmatch.fnmatch(_posix(name), pattern) for pattern, _reason in rules)


def size_mib(entries: Iterable[Entry]) -> float:
    """The entries' files on disk, in MiB (symlinks and missing sources count 0)."""
    return sum(
        os.path.getsize(src) for _name, src, kind in entries
        if kind != "SYMLINK" and os.path.isfile(src)
    ) / 2**20


def without_dangling_symlinks(toc: Sequence[Entry]) -> list[Entry]:
    """The TOC without SYMLINK entries whose target is no longer in it.

    PyInstaller adds top-level symlinks (e.g. libarrow_flight.so.2600 ->
    pyarrow/libarrow_flight.so.2600) for libraries that others find via $ORIGIN;
    once the target is trimmed, the link would point at nothing.
    """
    present = {_posix(name) for name, _src, kind in toc if kind != "SYMLINK"}

    def target(name: str, src: str) -> str:
        return _posix(os.path.normpath(os.path.join(os.path.dirname(name), src)))

    return [
        (name, src, kind) for name, src, kind in toc
        if kind != "SYMLINK" or target(name, src) in present
    ]


@dataclass(frozen=True)
class Trimmed:
    kept: list[Entry]
    by_rule: list[Entry]  # what a rule dropped (and KEEP did not keep)
    dangling: list[Entry]  # symlinks whose target a rule dropped

    @property
    def dropped(self) -> list[Entry]:
        return self.by_rule + self.dangling


def trim(toc: Sequence[Entry], rules: Sequence[Rule], keep: Sequence[Rule]) -> Trimmed:
    """Split the TOC into what stays and what `rules` drop; `keep` overrides `rules`."""
    kept: list[Entry] = []
    by_rule: list[Entry] = []
    for entry in toc:
        dropped = matches(entry[0], rules) and not matches(entry[0], keep)
        (by_rule if dropped else kept).append(entry)
    linked = without_dangling_symlinks(kept)
    still_there = set(linked)
    return Trimmed(linked, by_rule, [entry for entry in kept if entry not in still_there])


def pyinstaller_linked_libraries(src: str) -> list[str]:
    """What `src` links, as PyInstaller's binary analysis reads it (ldd on Linux)."""
    from PyInstaller.depend import bindepend  # only inside a build

    return [name for name, _path in bindepend.get_imports(src)]


def _linked_top_level(
    sources: Iterable[str], top: dict[str, str], linked: LinkedLibraries
) -> set[str]:
    """Names of top-level libraries that `sources` link, directly or through each other."""
    found: set[str] = set()
    pending, seen = list(sources), set()
    while pending:
        src = pending.pop()
        if src in seen:
            continue
        seen.add(src)
        for name in linked(src):
            base = os.path.basename(name)
            if base in top and base not in found:
                found.add(base)
                pending.append(top[base])
    return found


def orphaned_libraries(
    binaries: Sequence[Entry],
    dropped: Sequence[Entry],
    linked: LinkedLibraries = pyinstaller_linked_libraries,
) -> set[str]:
    """Top-level libraries that only the dropped binaries linked (Linux).

    PyInstaller collects the link-time dependencies of every collected binary during
    Analysis, before the spec trims; the build machine's system libraries (bundled at
    the top level, e.g. libgtk-3.so.0 for the qgtk3 plugin) that came in only for a
    dropped binary would otherwise stay. A candidate is a top-level library that a
    dropped binary links; it is an orphan unless something kept still links it.
    Libraries that hooks collect for loading at run time (dlopen: NSS's
    libsoftokn3.so & co., collected by PyInstaller's QtWebEngine hook) are never
    candidates, as no dropped binary links them; nor is libpython.
    """
    top = {
        name: src for name, src, kind in binaries
        if "/" not in _posix(name) and kind == "BINARY"
    }
    candidates = _linked_top_level(
        [src for _name, src, kind in dropped if kind != "SYMLINK"], top, linked
    )
    candidates = {name for name in candidates if not name.startswith("libpython")}
    still_linked = _linked_top_level(
        [src for name, src, kind in binaries if kind != "SYMLINK" and name not in candidates],
        top, linked,
    )
    return candidates - still_linked


def without(toc: Sequence[Entry], names: set[str]) -> list[Entry]:
    """The TOC without the entries named `names`."""
    return [entry for entry in toc if entry[0] not in names]
