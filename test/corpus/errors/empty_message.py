# An exception without a message: just its type.
# expect-status: error
# expect-error: ValueError
# expect-output: ""
raise ValueError
