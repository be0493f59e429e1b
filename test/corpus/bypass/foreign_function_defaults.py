# Function internals are only open on the program's own functions.
# expect-status: error
# expect-error: PermissionError: access to '__defaults__' is not allowed
# expect-output: ""
import json
print(json.dumps.__defaults__)
