# expect-status: error
# expect-error: PermissionError: access to '__spec__' is not allowed
# expect-output: ""
import json
json.__spec__.loader.load_module("os")
