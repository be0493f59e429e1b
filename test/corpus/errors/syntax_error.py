# The spec's syntax error example: type, message and line.
# expect-status: error
# expect-error: SyntaxError: expected ':' (line 1)
# expect-output: ""
for i in range(10)
    print(i)
