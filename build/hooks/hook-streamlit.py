"""PyInstaller hook for Streamlit, as this app runs it (st.App served by uvicorn).

pyinstaller-hooks-contrib (2026.9) ships no hook for Streamlit, so this one says
what a frozen Streamlit needs that the import scan cannot see:

* its distribution metadata: streamlit/version.py calls
  importlib.metadata.version("streamlit") at import (PackageNotFoundError without it);
* the production frontend, streamlit/static (index.html, JS bundles, fonts); without
  it every page is a 404 and the window stays blank;
* modules that are only named in strings or in code Streamlit generates at run time.

The page scripts themselves are bundled as data by the spec (Streamlit reads them as
source files), so their own imports are added there, not here.
"""

from PyInstaller.utils.hooks import collect_data_files, copy_metadata

datas = (
    copy_metadata("streamlit")
    # starlette_server._maybe_warn_uvicorn_websockets_mismatch() reads these two
    # versions; without them it silently skips its check, so they are cheap insurance.
    + copy_metadata("uvicorn")
    + copy_metadata("websockets")
    # The frontend only. Not the .pyi stubs (collect_data_files skips .py/.pyc but
    # would take those) nor streamlit/.agents (AI-assistant docs and templates).
    + collect_data_files("streamlit", includes=["static"])
)

hiddenimports = [
    # "Magic" (a bare expression in a page shows its value): Streamlit rewrites each
    # page's AST to `import streamlit.runtime.scriptrunner.magic_funcs as
    # __streamlitmagic__`, an import no static scan of Streamlit can find.
    "streamlit.runtime.scriptrunner.magic_funcs",
    # The server desktop_shell/server/server.py builds: st.App (streamlit.starlette) and
    # uvicorn's config helpers. They are imported inside a function, which the scan
    # does follow; listed so the hook still works if that import moves into a string.
    "streamlit.starlette",
    "streamlit.web.server.starlette.starlette_app",
    "streamlit.web.server.starlette.starlette_server",
    # uvicorn picks its implementations by name (uvicorn/config.py maps "auto",
    # "h11", "websockets-sansio", "on" to dotted paths and imports them with
    # importlib). pyinstaller-hooks-contrib's hook-uvicorn collects all of uvicorn's
    # submodules today; these are the ones this app uses, should that ever narrow:
    # ws="websockets-sansio" (starlette_server._get_websocket_protocol), lifespan="on"
    # (server.py), http="auto" and loop="auto" (uvicorn's defaults: h11 and asyncio
    # here, as httptools and uvloop are not installed).
    "uvicorn.protocols.websockets.websockets_sansio_impl",
    "uvicorn.protocols.websockets.auto",
    "uvicorn.protocols.http.auto",
    "uvicorn.protocols.http.h11_impl",
    "uvicorn.lifespan.on",
    "uvicorn.loops.auto",
    "uvicorn.loops.asyncio",
]
