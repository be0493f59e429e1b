# The refusal happens where the import runs; output before it stays.
# expect-status: error
# expect-error: ImportError: import of 'subprocess' is not allowed
# expect-output: "about to import\n"
def run():
    import subprocess
    return subprocess.run(["id"])


print("about to import")
run()
