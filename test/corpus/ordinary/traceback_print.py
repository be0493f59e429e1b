# A traceback the program prints itself shows its own lines.
# expect-status: ok
# expect-output: "Traceback (most recent call last):\n  File \"<learner>\", line 3, in <module>\n    raise ValueError(\"bad\")\nValueError: bad\nafter\n"
import traceback
try:
    raise ValueError("bad")
except ValueError:
    traceback.print_exc()
print("after")
