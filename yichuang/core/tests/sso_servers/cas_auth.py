"""The CAS server's user source: people.PEOPLE, released with their 工号 and name."""

from cas_server.auth import AuthUser

from .people import PASSWORD, PEOPLE

BY_USERNAME = {username: (number, name) for username, number, name in PEOPLE}


class PeopleAuthUser(AuthUser):
    def test_password(self, password):
        return self.username in BY_USERNAME and password == PASSWORD

    def attributs(self):
        number, name = BY_USERNAME[self.username]
        return {"employeeNumber": number, "displayName": name, "uid": self.username}
