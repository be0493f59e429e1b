# An exception the program handles itself is not an error.
# expect-status: ok
# expect-output: "caught: division by zero\nfinally\n"
try:
    1 / 0
except ZeroDivisionError as error:
    print("caught:", error)
finally:
    print("finally")
