# sys.stdin and open(0) read the request's stdin too.
# request-stdin: "1 2\n3\n"
# expect-status: ok
# expect-output: "6\n''\n"
import sys
print(sum(int(x) for x in sys.stdin.read().split()))
print(repr(open(0).read()))
