# catch_warnings keeps the real warnings module in its instances: not offered.
# expect-status: error
# expect-error: AttributeError: module 'warnings' has no attribute 'catch_warnings'
# expect-output: ""
import warnings


class Keeper(warnings.catch_warnings):
    pass


print(Keeper().__dict__["_module"].sys.modules["os"])
