# The same walk with a computed name: refused at run time, after the output before it.
# expect-status: error
# expect-error: PermissionError: access to '__subclasses__' is not allowed
# expect-output: "start\n"
print("start")
getattr(object, "__subc" + "lasses__")()
