# print.__self__ would be the real builtins module.
# expect-status: error
# expect-error: PermissionError: access to '__self__' is not allowed
# expect-output: ""
import string
print(string.Formatter().get_field("0.__self__", (print,), {}))
