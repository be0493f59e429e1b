# expect-status: error
# expect-error: PermissionError: access to '__dict__' is not allowed
# expect-output: ""
vars(type)["__subclasses__"](object)
