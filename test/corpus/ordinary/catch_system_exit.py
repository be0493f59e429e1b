# Catching SystemExit is ordinary Python.
# expect-status: ok
# expect-output: "caught 1\n"
import sys

try:
    sys.exit(1)
except SystemExit as stop:
    print("caught", stop.code)
