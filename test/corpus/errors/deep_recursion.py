# Deep recursion ends with RecursionError, not a crash.
# expect-status: error
# expect-error-matches: ^RecursionError: maximum recursion depth exceeded
# expect-output: ""
def down(n):
    return down(n + 1)


down(0)
