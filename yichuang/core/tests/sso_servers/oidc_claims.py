"""The provider's claims: the 工号 and name of people.PEOPLE beside the standard ones."""

from oauth2_provider.oauth2_validators import OAuth2Validator

from .people import PEOPLE

BY_USERNAME = {username: (number, name) for username, number, name in PEOPLE}


class PeopleValidator(OAuth2Validator):
    oidc_claim_scope = None  # every claim to every client: this provider has one

    def get_additional_claims(self, request):
        number, name = BY_USERNAME.get(request.user.username, ("", ""))
        return {
            "preferred_username": request.user.username,
            "employee_number": number,
            "name": name,
        }
