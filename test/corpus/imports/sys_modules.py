# `import sys` gives a limited module: no sys.modules.
# expect-status: error
# expect-error: AttributeError: module 'sys' has no attribute 'modules'
# expect-output: ""
import sys
sys.modules["os"].system("id")
