# expect-status: error
# expect-error: AttributeError: module 'random' has no attribute '_inst'
# expect-output: ""
import random
getattr(random, "_inst")
