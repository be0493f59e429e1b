# input() past the end of stdin.
# request-stdin: "only line\n"
# expect-status: error
# expect-error: EOFError: EOF when reading a line
# expect-output: "only line\n"
print(input())
input()
