# Replacing a builtin only changes the program's own name lookups: open stays read-only.
# expect-status: error
# expect-error: OSError: [Errno 30] Read-only file system: 'x.txt'
# expect-output: ""
b = globals()["__builtins__"]
b["__import__"] = lambda *args, **kwargs: None
b["print"] = b["open"]
print("x.txt", "w")
