# Class patterns look attributes up in C: checked before the program runs.
# expect-status: error
# expect-error: PermissionError: access to '__globals__' is not allowed
# expect-output: ""
import json
match json.dumps:
    case object(__globals__=found):
        print(found)
