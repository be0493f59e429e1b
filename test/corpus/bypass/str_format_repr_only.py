# str.format looks attributes up in C but only yields text: no object escapes.
# expect-status: ok
# expect-output: "True\n"
text = "{0.__class__}".format(1)
print(text == "<class 'int'>")
