# expect-status: error
# expect-error: AttributeError: module 'sys' has no attribute 'setrecursionlimit'
# expect-output: ""
import sys
sys.setrecursionlimit(10 ** 6)
