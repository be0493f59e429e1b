# expect-status: error
# expect-error: PermissionError: access to '__loader__' is not allowed
# expect-output: ""
__loader__.load_module("posix")
