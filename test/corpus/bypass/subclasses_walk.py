# The classic walk from a literal to a loaded module's globals.
# expect-status: error
# expect-error: PermissionError: access to '__subclasses__' is not allowed
# expect-output: ""
for cls in ().__class__.__base__.__subclasses__():
    if cls.__name__ == "_wrap_close":
        cls.__init__.__globals__["system"]("id")
