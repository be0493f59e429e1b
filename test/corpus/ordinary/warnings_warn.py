# warnings.warn() prints to stderr, with the program's line.
# expect-status: ok
# expect-output: "<learner>:2: UserWarning: careful\n  warnings.warn(\"careful\")\ndone\n"
import warnings
warnings.warn("careful")
print("done")
