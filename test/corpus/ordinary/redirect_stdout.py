# Replacing sys.stdout (to capture output) works as in Python.
# expect-status: ok
# expect-output: "'captured\\n'\n"
import io
import sys

saved = sys.stdout
sys.stdout = io.StringIO()
print("captured")
text = sys.stdout.getvalue()
sys.stdout = saved
print(repr(text))
