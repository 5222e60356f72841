"""Windows: is the Edge WebView2 runtime installed? If not, a sentence with the link.

Without it pywebview quietly falls back to MSHTML, Internet Explorer's engine, which
cannot run Streamlit's frontend: a blank window. So the app looks first, in the
registry keys pywebview reads (webview/platforms/winforms.py, `_is_chromium`), which are
the ones Microsoft documents: https://learn.microsoft.com/microsoft-edge/webview2/concepts/distribution#detect-if-a-webview2-runtime-is-already-installed
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

DOWNLOAD_URL = "https://developer.microsoft.com/microsoft-edge/webview2/"
MINIMUM = (86, 0, 622, 0)  # pywebview's minimum (WebView2 86.0.622.0)
# The runtime, then the Beta, Dev and Canary channels (pywebview accepts each).
CLIENTS = (
    "{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}",
    "{2CD8A007-E189-409D-A2C8-9AF4EF3C72AA}",
    "{0D50BFEC-CD6A-4F9A-964C-C7416E3ACB10}",
    "{65C35B14-6C1D-4122-AC46-7148CC9D6497}",
)

# (hive, key) -> the key's "pv" value, or None where the key or value is missing
Reader = Callable[[str, str], str | None]


def keys(machine_is_64_bit: bool) -> Iterator[tuple[str, str]]:
    """Where an installed runtime writes its version: per user, then per machine."""
    machine = r"SOFTWARE\WOW6432Node" if machine_is_64_bit else "SOFTWARE"
    for client in CLIENTS:
        yield "HKEY_CURRENT_USER", rf"Software\Microsoft\EdgeUpdate\Clients\{client}"
        yield "HKEY_LOCAL_MACHINE", rf"{machine}\Microsoft\EdgeUpdate\Clients\{client}"


def _version(text: str | None) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in (text or "").split("."))
    except ValueError:
        return ()


def installed_version(read: Reader, machine_is_64_bit: bool) -> str | None:
    """The first WebView2 runtime recent enough for pywebview, or None.

    An uninstalled runtime can leave its key behind with "" or "0.0.0.0" as version.
    """
    for hive, key in keys(machine_is_64_bit):
        version = read(hive, key)
        if _version(version) >= MINIMUM:
            return version
    return None


def missing_sentence(app_name: str) -> str:
    return (f"{app_name} needs the Microsoft Edge WebView2 Runtime, which is not installed on "
            f"this computer. Install it from {DOWNLOAD_URL} and start {app_name} again.")


def problem(
    read: Reader, machine_is_64_bit: bool, runtime_path_set: bool = False, *, app_name: str
) -> str | None:
    """The sentence to show, or None when a runtime is there (or one is set explicitly)."""
    if runtime_path_set or installed_version(read, machine_is_64_bit) is not None:
        return None
    return missing_sentence(app_name)


def read_registry(hive: str, key: str) -> str | None:  # pragma: no cover - Windows only
    import winreg

    try:
        with winreg.OpenKey(getattr(winreg, hive), key) as handle:
            value, _kind = winreg.QueryValueEx(handle, "pv")
    except OSError:
        return None
    return str(value)
