# expect-status: error
# expect-error: PermissionError: access to '__subclasses__' is not allowed
# expect-output: ""
import operator
operator.methodcaller("__subclasses__")(object)
