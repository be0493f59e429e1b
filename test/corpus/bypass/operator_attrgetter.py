# expect-status: error
# expect-error: PermissionError: access to '__globals__' is not allowed
# expect-output: ""
import json
import operator
operator.attrgetter("__globals__")(json.dumps)
