# A class statement whose metaclass hands back a built-in class does not make it the program's own.
# expect-status: error
# expect-error: PermissionError: access to '__dict__' is not allowed
# expect-output: ""
class Mine(metaclass=lambda *args: object):
    pass


type.__dict__["__subclasses__"](object)
