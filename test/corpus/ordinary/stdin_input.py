# input() reads the request's stdin; its prompt is part of the output.
# request-stdin: "Alice\n3\n4\n"
# expect-status: ok
# expect-output: "Name? Hello, Alice!\n7\n"
name = input("Name? ")
print(f"Hello, {name}!")
print(int(input()) + int(input()))
