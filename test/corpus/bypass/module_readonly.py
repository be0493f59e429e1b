# expect-status: error
# expect-error: PermissionError: module 'math' is read-only
# expect-output: ""
import math
math.pi = 3
