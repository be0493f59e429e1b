# eval, exec and compile work on the program's own code.
# expect-status: ok
# expect-output: "2\n5\n9\n"
code = compile("1 + 1", "<calc>", "eval")
print(eval(code))
namespace = {}
exec("def f(x):\n    return x + 3", namespace)
print(namespace["f"](2))
print(eval("x * x", {"x": 3}))
