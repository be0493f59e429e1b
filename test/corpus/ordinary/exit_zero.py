# exit() ends the program normally; what came before stays.
# expect-status: ok
# expect-output: "before\n"
print("before")
exit()
print("after")
