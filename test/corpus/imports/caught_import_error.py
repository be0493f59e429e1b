# A refused import is an ordinary ImportError the program may handle.
# expect-status: ok
# expect-output: "import of 'os' is not allowed\n"
try:
    import os
except ImportError as error:
    print(error)
