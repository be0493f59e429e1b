# expect-status: error
# expect-error: PermissionError: access to '__dict__' is not allowed
# expect-output: ""
type.__dict__["__subclasses__"](object)
