# expect-status: error
# expect-error: PermissionError: access to '__self__' is not allowed
# expect-output: ""
print.__self__.__import__("os")
