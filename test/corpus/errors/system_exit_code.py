# sys.exit with a non-zero code is an error.
# expect-status: error
# expect-error: SystemExit: 3
# expect-output: "bye\n"
import sys
print("bye")
sys.exit(3)
