# expect-status: error
# expect-error-matches: ^ImportError: cannot import name 'walk_stack' from 'traceback'
# expect-output: ""
from traceback import walk_stack
for frame, line in walk_stack(None):
    print(frame)
