# expect-status: error
# expect-error: PermissionError: access to '__getattribute__' is not allowed
# expect-output: ""
object.__getattribute__(object, "__subclasses__")
