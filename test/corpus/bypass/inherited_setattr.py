# object.__setattr__ inherited by the program's own class still checks its target.
# expect-status: error
# expect-error: PermissionError: access to '_x' is not allowed
# expect-output: ""
import pprint


class Mine:
    pass


Mine.__setattr__(pprint.PrettyPrinter(), "_x", 1)
