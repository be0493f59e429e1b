# compile() hands out an opaque code object that exec/eval accept and nothing else.
# expect-status: error
# expect-error: AttributeError: 'CompiledCode' object has no attribute 'replace'
# expect-output: "2\n"
code = compile("1 + 1", "<x>", "eval")
print(eval(code))
code.replace(co_code=b"")
