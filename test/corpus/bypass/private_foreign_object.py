# Underscore attributes of objects that are not the program's own are refused.
# expect-status: error
# expect-error: PermissionError: access to '_stream' is not allowed
# expect-output: ""
import pprint
pprint.PrettyPrinter()._stream
