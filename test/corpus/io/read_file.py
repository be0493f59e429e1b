# Reading files is allowed (the OS sandbox decides what exists).
# expect-status: ok
# expect-output: "True False\n"
with open("/proc/version") as f:
    print(f.read().startswith("Linux"), f.writable())
