# stdout and stderr interleave as a console shows them.
# expect-status: ok
# expect-output: "one\ntwo\nthree\nfour\n"
import sys
print("one")
print("two", file=sys.stderr)
sys.stdout.write("three\n")
sys.stderr.write("four\n")
