# The spec's first example.
# expect-status: ok
# expect-output: "Hello, World!\n"
print('Hello, World!')
