# functools.update_wrapper would copy __module__ onto a standard-library class, making it look
# like the program's own.
# expect-status: error
# expect-error: AttributeError: access to '__module__' is not allowed
# expect-output: ""
import functools
import json


def mine():
    pass


functools.update_wrapper(json.JSONEncoder, mine)
