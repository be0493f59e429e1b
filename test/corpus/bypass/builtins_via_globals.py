# The builtins the program can reach are the guarded ones.
# expect-status: error
# expect-error: ImportError: import of 'os' is not allowed
# expect-output: ""
b = globals()["__builtins__"]
b["__import__"]("os")
