# expect-status: error
# expect-error: PermissionError: access to '_evaluate' is not allowed
# expect-output: ""
import typing
typing.ForwardRef._evaluate = lambda self, globalns, localns, guard: print(globalns)
