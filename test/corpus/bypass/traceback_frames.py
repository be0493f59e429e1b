# An exception's traceback leads to frames and their globals.
# expect-status: error
# expect-error: PermissionError: access to '__traceback__' is not allowed
# expect-output: ""
try:
    1 / 0
except ZeroDivisionError as error:
    error.__traceback__.tb_frame.f_back.f_globals
