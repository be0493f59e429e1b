# expect-status: error
# expect-error: AttributeError: module 'sys' has no attribute '_getframe'
# expect-output: ""
import sys
frame = sys._getframe(0)
