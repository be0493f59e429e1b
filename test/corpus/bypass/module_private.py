# Allowed modules are views of their public names: random._os does not exist.
# expect-status: error
# expect-error: AttributeError: module 'random' has no attribute '_os'
# expect-output: ""
import random
random._os.system("id")
