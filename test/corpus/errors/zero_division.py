# The spec's runtime error example.
# expect-status: error
# expect-error: ZeroDivisionError: division by zero
# expect-output: ""
x = 1 / 0
