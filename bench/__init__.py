"""The benchmark (run it with `python bench/run.py`; bench/README.md says what it measures).

- main.py: the command line and the runs (warm-up, interleaved rounds, floors);
- launching.py: start a variant (launcher, builds, floor window, the `streamlit run` baseline);
- observe.py: watch a launch's X window and page until the chart is drawn; close it;
- streaming.py: stream the data feed and measure it;
- processes.py: memory and CPU of a process tree (/proc);
- floors.py: import times in a fresh Python;
- floor_window.py, floor_server.py: the bare window, and the server it opens the app on;
- memory_floor.py: what the memory floor's two processes would count twice;
- floor_report.py: the floors of issue 12's chart and memory targets, against them;
- report.py: results.md, a declarative table of rows;
- reaper.py: nothing it started is left running.

The display, the window finder, the app's launch and the baseline server come from
tests/support, as for the tests.
"""
