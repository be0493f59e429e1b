# type.__setattr__ on a standard-library class follows the program's assignment rules.
# expect-status: error
# expect-error: PermissionError: assignment to '__module__' is not allowed
# expect-output: ""
import json
type.__setattr__(json.JSONEncoder, "__module__", "__main__")
