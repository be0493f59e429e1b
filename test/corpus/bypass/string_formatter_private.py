# expect-status: error
# expect-error: AttributeError: module 'random' has no attribute '_inst'
# expect-output: ""
import random
import string
print(string.Formatter().format("{0._inst}", random))
