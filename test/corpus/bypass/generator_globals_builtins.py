# The program's own function globals hold only its own guarded builtins.
# expect-status: error
# expect-error: ImportError: import of 'os' is not allowed
# expect-output: ""
def mine():
    pass


mine.__globals__["__builtins__"]["__import__"]("os")
