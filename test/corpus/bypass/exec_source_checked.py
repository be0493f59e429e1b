# Strings given to exec are checked like the program.
# expect-status: error
# expect-error: PermissionError: access to '__subclasses__' is not allowed
# expect-output: ""
exec("print(().__class__.__bases__[0].__subclasses__())")
