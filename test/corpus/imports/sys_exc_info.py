# expect-status: error
# expect-error: AttributeError: module 'sys' has no attribute 'exc_info'
# expect-output: ""
import sys
try:
    1 / 0
except ZeroDivisionError:
    print(sys.exc_info())
