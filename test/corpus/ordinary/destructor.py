# Objects left at the end are released as the interpreter does at exit: __del__ prints.
# expect-status: ok
# expect-output: "end\ndeleted\n"
class Resource:
    def __del__(self):
        print("deleted")


resource = Resource()
print("end")
