# Code objects would let a program build arbitrary bytecode.
# expect-status: error
# expect-error: PermissionError: access to '__code__' is not allowed
# expect-output: ""
code = (lambda: 0).__code__
code.replace(co_code=b"")
