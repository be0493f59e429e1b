# A program's own exception class: no "__main__." prefix.
# expect-status: error
# expect-error: InsufficientFunds: balance too low
# expect-output: ""
class InsufficientFunds(Exception):
    pass


raise InsufficientFunds("balance too low")
