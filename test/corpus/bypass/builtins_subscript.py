# expect-status: error
# expect-error: PermissionError: access to '__builtins__' is not allowed
# expect-output: ""
__builtins__["__import__"]("os")
