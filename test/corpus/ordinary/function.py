# The spec's "Testing a Function" example.
# expect-status: ok
# expect-output: "5\n30\n"
def add(a, b):
    return a + b

print(add(2, 3))
print(add(10, 20))
