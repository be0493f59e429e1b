# The spec's "With User Input Simulation" example.
# expect-status: ok
# expect-output: "Hello, Alice!\n"
name = "Alice"
print(f"Hello, {name}!")
