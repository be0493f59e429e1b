# functools.update_wrapper would copy any attribute on the program's behalf.
# expect-status: error
# expect-error-matches: ^PermissionError: assigned may only name __module__, __name__, __qualname__, __doc__
# expect-output: ""
import functools


def holder():
    pass


functools.update_wrapper(holder, print, assigned=("__self__",))
