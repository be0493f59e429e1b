"""LearnFlow's Python runner, the entry point (docs/runner-protocol.md):

    python3 -I -S -B runner.py [--request-env] [--termination-log PATH]

The runner itself is runner_core.py, beside this file. Python compiles the script it is started
with from source every time (~10 ms for the runner), whereas an imported module is loaded from its
bytecode in __pycache__ when that was compiled ahead of time (the runner image's build, the local
executor's start-up); -B only stops Python from writing it. Without it, the module is compiled as
the script was: slower, the same behaviour.
"""

import os
import sys

_directory = os.path.dirname(os.path.abspath(__file__))
# Appended, so that no file here can stand in for a standard-library module; removed at once.
sys.path.append(_directory)
try:
    import runner_core
finally:
    sys.path.remove(_directory)
# Nothing the program runs can import the runner by name (as when it ran as __main__).
del sys.modules["runner_core"]

# Everything is written with os.write: nothing to flush, no interpreter teardown to wait for.
os._exit(runner_core.main(sys.argv[1:]))
