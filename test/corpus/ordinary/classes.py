# Classes: private attributes, name mangling, properties, super(), __dict__ of one's own objects.
# expect-status: ok
# expect-output: "15 42 0.1\n{'owner': 'ann', '_balance': 15, '_Account__pin': 42, '_rate': 0.1}\nSavings Account\nFalse 15 1\n"
class Account:
    def __init__(self, owner, balance=0):
        self.owner = owner
        self._balance = balance
        self.__pin = 42

    def deposit(self, amount):
        self._balance += amount
        return self.__pin

    @property
    def balance(self):
        return self._balance


class Savings(Account):
    def __init__(self, owner):
        super().__init__(owner, 10)
        self._rate = 0.1


account = Savings("ann")
pin = account.deposit(5)
print(account.balance, pin, account._rate)
print(account.__dict__)
print(type(account).__name__, Savings.__mro__[1].__name__)
del account._rate
setattr(account, "_extra", 1)
print(hasattr(account, "_rate"), getattr(account, "_balance"), account._extra)
