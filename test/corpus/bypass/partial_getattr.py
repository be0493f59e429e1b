# getattr called from C (functools.partial, map) still knows who asked.
# expect-status: error
# expect-error: PermissionError: access to '__subclasses__' is not allowed
# expect-output: ""
import functools
functools.partial(getattr, object)("__subclasses__")()
