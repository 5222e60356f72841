"""What the bundle leaves out, each with the reason it is safe: the spec's policy.

Three tables, read by build/app.spec and applied by the machinery in
toc.py: Python modules that Analysis must not collect (EXCLUDES, plus the other
operating systems' toolkits in OTHER_OS), collected files dropped by path
(TRIM_RULES), and the files those rules would drop but must stay (KEEP).

Every exclusion was checked by building and running the self-test (both pages
rendered) and the headless test on the result (build/README.md says how). An excluded
module that is imported after all raises ImportError at run time: the self-test
(tests/build/test_executable.py) runs every page in the built file to catch that.
"""

from __future__ import annotations

# ---------------------------------------------------------------------------------
# Python modules left out (Analysis `excludes`), each with the reason it is safe.
# What a page imports itself is never excluded (app_files.not_excluding): a page doing
# `from PIL import Image` gets Pillow back.
# ---------------------------------------------------------------------------------
EXCLUDES: dict[str, str] = {
    # Other Qt bindings: qtpy (pywebview's Qt layer) tries each; we ship PySide6 only.
    # PyInstaller refuses to bundle two bindings, so this also keeps a build machine
    # with PyQt installed from failing.
    "PyQt5": "other Qt binding; PySide6 is the one used (LGPL)",
    "PyQt6": "other Qt binding",
    "PySide2": "other Qt binding",
    # PySide6 modules that come in only because libQt6WebEngineCore links their C++
    # libraries (PyInstaller's Qt hooks turn each linked Qt library into a hidden
    # import of its Python module). The libraries themselves stay: they are link-time
    # dependencies, collected by binary analysis regardless. What goes is the Python
    # module and what its hook adds: QtQml/QtQuick collect the whole qml/ import tree
    # (28 MB of QML modules, whose plugins link QtQuick3D, QtMultimedia, ... and, via
    # those, PulseAudio and more), QtPositioning the geolocation plugins.
    "PySide6.QtQml": "QML engine API; pywebview uses QWidgets (QWebEngineView)",
    "PySide6.QtQuick": "QML scenes; its hook collects the qml/ tree",
    "PySide6.QtQuickWidgets": "QML in widgets; not used",
    "PySide6.QtPositioning": "geolocation; pulls position plugins",
    # qtpy imports these three for compatibility, each inside try/except ImportError
    # (qtpy/QtGui.py, QtWidgets.py, __init__.py), so their absence is expected.
    "PySide6.QtOpenGL": "qtpy's optional QOpenGL* names in QtGui (8.5 MB module)",
    "PySide6.QtOpenGLWidgets": "qtpy's optional QOpenGLWidget",
    "PySide6.QtDataVisualization": "qtpy's optional 3D charts alias; links QtQuick3D etc.",
    # pywebview's other backends: each imports a toolkit that is not installed
    # here (GTK via gi, CEF, WinForms via pythonnet, Cocoa via pyobjc, Android).
    # The backend for the OS being built is kept (OTHER_OS below).
    "webview.platforms.gtk": "GTK backend; Linux uses Qt",
    "webview.platforms.cef": "CEF backend; not used",
    "webview.platforms.android": "Android backend",
    "webview.platforms.mshtml": "Internet Explorer backend; Windows uses edgechromium",
    "gi": "GTK bindings (pywebview's gtk backend)",
    "cefpython3": "CEF (pywebview's cef backend)",
    # GUI toolkits and tools no code path here uses.
    "tkinter": "Tk GUI; would add Tcl/Tk (pulled by PIL.ImageTk, which is not used)",
    "_tkinter": "Tk GUI",
    "turtle": "Tk GUI",
    "idlelib": "the IDLE editor",
    "pydoc_data": "help() texts",
    "lib2to3": "2to3 grammar files",
    "IPython": "notebooks only (Streamlit/pandas import it lazily if installed)",
    "matplotlib": "not used by the pages (st.pyplot only)",
    # Pillow: Streamlit imports it only inside st.image, st.pyplot and image page
    # icons, none of which the pages use (it is not among the modules loaded while
    # both pages run). 18 MB with its codec libraries. A page that starts showing
    # images needs this line removed; the self-test would fail on its error box.
    "PIL": "raster images: not shown by any page",
    "setuptools": "packaging tool (PyInstaller's setuptools hook adds a runtime "
    "hook and setuptools' vendored distutils when anything mentions it)",
    "distutils": "packaging tool",
    "pkg_resources": "packaging tool",
    "_distutils_hack": "the venv's setuptools shim",
    "sqlite3": "only pandas.read_sql/to_sql use it (imported inside them)",
    "readline": "line editing for interactive prompts (pdb, code); links libreadline",
    "_testcapi": "CPython's test helper; pympler (vendored by Streamlit) falls back "
    "without it",
    "_testinternalcapi": "CPython's test helper",
    "pydeck": "st.pydeck_chart only (Streamlit imports it for type checks only)",
    "watchdog": "file watching for --dev reloads; the bundle's pages do not change, "
    "and Streamlit falls back to polling without it",
    "requests": "HTTP client used only lazily: Streamlit's external-IP lookup (not "
    "done with server.headless), jsonschema's remote $ref, pyarrow's downloads",
    "pytest": "tests only",
    "playwright": "tests only",
    "_pytest": "tests only",
    # Test suites inside packages.
    "numpy.tests": "test suite",
    "pandas.tests": "test suite",
    "pyarrow.tests": "test suite",
    "streamlit.testing": "Streamlit's AppTest harness: tests only",
    "streamlit.hello": "the `streamlit hello` demo app",
    # pyarrow: Streamlit sends dataframes and chart data as Arrow IPC streams
    # (pyarrow.lib, pyarrow.ipc), pandas 3 uses pyarrow.compute for its string dtype.
    # Neither reads or writes files or networks through pyarrow here. These are the
    # Python extension modules for that; their C++ libraries go too where nothing
    # else links them (Flight, S3: see TRIM_RULES), the rest is linked by
    # libarrow_python and stays.
    "pyarrow.flight": "Arrow Flight RPC (libarrow_flight, 31 MB)",
    "pyarrow._flight": "Arrow Flight RPC",
    "pyarrow._s3fs": "S3 file system (libarrow_s3, 17 MB)",
    "pyarrow._gcsfs": "Google Cloud Storage file system",
    "pyarrow._azurefs": "Azure file system",
    "pyarrow._hdfs": "HDFS file system",
    "pyarrow.fs": "file systems",
    "pyarrow._fs": "file systems",
    "pyarrow.cuda": "GPU memory",
    "pyarrow._cuda": "GPU memory",
    "pyarrow.gandiva": "LLVM expression compiler",
    "pyarrow.substrait": "Substrait query plans",
    "pyarrow._substrait": "Substrait query plans",
    "pyarrow.acero": "query engine (used by datasets)",
    "pyarrow._acero": "query engine",
    "pyarrow.dataset": "multi-file datasets",
    "pyarrow._dataset": "multi-file datasets",
    "pyarrow._dataset_orc": "multi-file datasets",
    "pyarrow._dataset_parquet": "multi-file datasets",
    "pyarrow._dataset_parquet_encryption": "multi-file datasets",
    "pyarrow.parquet": "Parquet files",
    "pyarrow._parquet": "Parquet files",
    "pyarrow._parquet_encryption": "Parquet files",
    "pyarrow.orc": "ORC files",
    "pyarrow._orc": "ORC files",
    "pyarrow.feather": "Feather files",
    "pyarrow._feather": "Feather files",
    "pyarrow.csv": "CSV reader (pandas reads and writes CSV itself)",
    "pyarrow._csv": "CSV reader",
    "pyarrow.json": "JSON reader",
    "pyarrow._json": "JSON reader",
    "pyarrow.benchmark": "benchmarks",
}

# Each operating system's toolkit, left out on the others: pywebview's backend for
# the OS being built is kept.
OTHER_OS: dict[str, dict[str, str]] = {
    "linux": {
        "webview.platforms.qt": "Qt backend; Linux only",
        "PySide6": "Qt; Linux only (not a dependency elsewhere)",
        "qtpy": "Qt; Linux only",
    },
    "win32": {
        "webview.platforms.winforms": "Windows backend",
        "webview.platforms.edgechromium": "Windows backend",
        "clr": "pythonnet (Windows backend)",
    },
    "darwin": {
        "webview.platforms.cocoa": "macOS backend",
        "objc": "pyobjc (macOS backend)",
    },
}

# The naive build (DESKTOP_SHELL_TRIM=0) still leaves out the other Qt bindings:
# PyInstaller refuses to bundle two of them.
NAIVE_EXCLUDES = ["PyQt5", "PyQt6", "PySide2"]


def excludes(platform: str) -> dict[str, str]:
    """EXCLUDES, plus the toolkits of every OS but `platform` (a sys.platform value)."""
    result = dict(EXCLUDES)
    for os_name, modules in OTHER_OS.items():
        if not platform.startswith(os_name):
            result.update(modules)
    return result


# ---------------------------------------------------------------------------------
# Collected files left out (binaries and data), matched against their path in the
# bundle with fnmatch ("*" also matches "/"). Most come from PyInstaller's Qt hooks,
# which collect per Qt module every plugin and translation that module might use.
# ---------------------------------------------------------------------------------
QT = "PySide6/Qt"  # where PySide6 keeps Qt's libraries, plugins and resources
TRIM_RULES: list[tuple[str, str]] = [
    # QtWebEngine (Chromium) resources.
    (f"{QT}/translations/qtwebengine_locales/*",
     "Chromium's UI strings in 50+ languages (44 MB); en-US.pak is kept (KEEP). "
     "Chromium falls back to en-US when the system locale's pak is missing"),
    # Qt's own translations: read only after installing a QTranslator, which
    # neither pywebview nor the app does (all Qt UI here is English).
    (f"{QT}/translations/*.qm", "Qt's translations; no QTranslator is installed"),
    (f"{QT}/resources/qtwebengine_devtools_resources.pak",
     "the web inspector (11 MiB, incompressible), shown only with --debug; from a "
     "checkout `python launcher.py --debug` has it"),
    # Plugins.
    (f"{QT}/plugins/platforms/libqeglfs.so", "no window system (embedded) platform"),
    (f"{QT}/plugins/platforms/libqlinuxfb.so", "framebuffer platform"),
    (f"{QT}/plugins/platforms/libqminimal*.so", "test platforms"),
    (f"{QT}/plugins/platforms/libqvkkhrdisplay.so", "Vulkan display platform"),
    (f"{QT}/plugins/platforms/libqvnc.so", "VNC server platform"),
    (f"{QT}/plugins/egldeviceintegrations/*", "EGLFS (embedded) only"),
    (f"{QT}/plugins/generic/*", "evdev/tslib input for embedded (EGLFS) devices"),
    (f"{QT}/plugins/platformthemes/libqgtk3.so",
     "GTK look for Qt widgets; links the build machine's GTK 3 stack (~20 MB of "
     "system libraries that would then override the user's own). The window only "
     "holds a web view; xdgdesktopportal stays for native dialogs"),
    (f"{QT}/plugins/printsupport/*", "CUPS printing (links libcups, Kerberos, GnuTLS); "
     "the app has no printing"),
    (f"{QT}/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
     "on-screen keyboard (needs QtQuick/QML)"),
    (f"{QT}/plugins/wayland-graphics-integration-server/*",
     "for Wayland compositors written in Qt; clients use *-client"),
    (f"{QT}/plugins/networkinformation/*", "network reachability; the app is local"),
    (f"{QT}/plugins/tls/*", "Qt's own TLS (QSslSocket, QNetworkAccessManager): "
     "QtWebEngine has Chromium's, and the app is plain HTTP on 127.0.0.1"),
    (f"{QT}/plugins/position/*", "geolocation"),
    (f"{QT}/plugins/imageformats/libqpdf.so", "PDF images (links libQt6Pdf)"),
    (f"{QT}/plugins/imageformats/libqtiff.so", "TIFF; the icon is PNG"),
    (f"{QT}/plugins/imageformats/libqwebp.so", "WebP; Chromium decodes page images"),
    (f"{QT}/plugins/imageformats/libqicns.so", "macOS icons"),
    (f"{QT}/plugins/imageformats/libqtga.so", "TGA"),
    (f"{QT}/plugins/imageformats/libqwbmp.so", "WBMP"),
    (f"{QT}/plugins/qmltooling/*", "QML debugger"),
    # QML import tree, should a hook still collect it.
    (f"{QT}/qml/*", "QML modules: a QWidget app loads none"),
    # Command-line tools in libexec (only QtWebEngineProcess is run).
    (f"{QT}/libexec/qml*", "QML build tools"),
    (f"{QT}/libexec/rcc", "build tool"),
    (f"{QT}/libexec/uic", "build tool"),
    # Libraries that only the plugins dropped above link.
    (f"{QT}/lib/libQt6Pdf.so.6", "used by the qpdf image plugin only"),
    (f"{QT}/lib/libQt6VirtualKeyboard*.so.6", "used by the virtual keyboard only"),
    # pyarrow: the contrib hook collects every shared library in the package
    # (three copies of libarrow_python.so under its three names), and its headers
    # and Cython sources. What the kept extension modules link is found again by
    # binary analysis under the one name they ask for (the SONAME).
    ("pyarrow/include/*", "C++ headers"),
    ("pyarrow/src/*", "C++ sources of pyarrow's own library"),
    ("pyarrow/*.pxd", "Cython declarations"),
    ("pyarrow/*.pxi", "Cython sources"),
    ("pyarrow/*.pyx", "Cython sources"),
    ("pyarrow/includes/*", "Cython declarations"),
    ("pyarrow/tests/*", "test data"),
    ("pyarrow/libarrow_python.so", "duplicate: the SONAME copy (.so.2600) is kept"),
    ("pyarrow/libarrow_python*.so.*.*.*", "duplicate: the SONAME copy is kept"),
    ("pyarrow/libarrow_python_flight*", "Arrow Flight (module excluded above)"),
    ("pyarrow/libarrow_flight*", "Arrow Flight (module excluded above)"),
    ("pyarrow/libarrow_s3*", "S3 (module excluded above)"),
    ("pyarrow/libarrow_python_parquet_encryption*", "Parquet encryption"),
    # The C++ runtime of the build machine. Every Linux desktop has one, at least as
    # new as the build machine's on any system that can run this build at all (it
    # needs the build machine's glibc). A bundled, older copy would be loaded first
    # and break the user's newer Mesa GL drivers, which QtWebEngine loads from the
    # system ("MESA-LOADER: failed to open iris: ..._MEI.../libstdc++.so.6: version
    # `GLIBCXX_3.4.30' not found"): a known PyInstaller-on-Linux pitfall.
    ("libstdc++.so.6", "system C++ runtime (see above)"),
    ("libgcc_s.so.1", "system GCC runtime, for the same reason"),
    # Anything else that is not needed to run.
    ("*.pyi", "type stubs"),
]
# What the rules above would drop but must stay.
KEEP: list[tuple[str, str]] = [
    (f"{QT}/translations/qtwebengine_locales/en-US.pak",
     "Chromium's fallback: with no pak for the user's locale it loads en-US.pak; "
     "with neither, its built-in strings (form validation, error pages) are empty"),
    (f"{QT}/plugins/platforms/libqxcb.so", "X11"),
    (f"{QT}/plugins/platforms/libqwayland*.so", "Wayland"),
    (f"{QT}/plugins/platforms/libqoffscreen.so", "QT_QPA_PLATFORM=offscreen for "
     "headless diagnostics"),
]
