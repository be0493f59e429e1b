# The spec's "Basic Execution" example.
# expect-status: ok
# expect-output: "0\n1\n2\n3\n4\n"
for i in range(5):
    print(i)
