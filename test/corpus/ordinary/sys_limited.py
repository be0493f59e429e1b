# The limited sys keeps its harmless attributes.
# expect-status: ok
# expect-output: "True ['main.py'] True 1000\nok\n"
import sys
print(sys.version_info >= (3, 10), sys.argv, sys.maxsize > 2**31, sys.getrecursionlimit())
sys.stdout.write("ok\n")
