# expect-status: error
# expect-error: PermissionError: access to '__globals__' is not allowed
# expect-output: ""
import json
import string
print(string.Formatter().get_field("0.__globals__", (json.dumps,), {}))
