# expect-status: error
# expect-error: IndentationError: unexpected indent (line 2)
# expect-output: ""
x = 1
    y = 2
